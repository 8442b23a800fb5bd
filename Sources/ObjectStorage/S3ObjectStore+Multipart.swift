import AsyncHTTPClient
import MentorLinkCore
import NIOHTTP1

extension S3ObjectStore {
    /// Uploads `size` bytes as `key` in ``partSize`` parts, `read(offset, count)` giving each part's bytes:
    /// CreateMultipartUpload, UploadPart for each, CompleteMultipartUpload. On any failure the upload is aborted (its
    /// parts were never visible as an object) and the error rethrown.
    func uploadInParts(
        key: String, size: Int64, contentType: String, read: (_ offset: Int64, _ count: Int) async throws -> [UInt8]
    ) async throws {
        let created = try await xml(send(.POST, key: key, query: [("uploads", "")], headers: [("Content-Type", contentType)]))
        guard let uploadId = created.child("UploadId")?.text, !uploadId.isEmpty else {
            throw ObjectStoreError.unavailable("S3 CreateMultipartUpload for \(key) gave no upload id")
        }
        do {
            var etags: [String] = []
            var offset: Int64 = 0
            while offset < size {
                let part = try await read(offset, Int(min(Int64(Self.partSize), size - offset)))
                guard !part.isEmpty else { throw ObjectStoreError.unavailable("\(key): the source ended early") }
                let response = try await send(
                    .PUT, key: key, query: [("partNumber", "\(etags.count + 1)"), ("uploadId", uploadId)], body: part)
                guard let etag = response.headers.first(name: "ETag") else {
                    throw ObjectStoreError.unavailable("S3 UploadPart for \(key) gave no ETag")
                }
                etags.append(etag)
                offset += Int64(part.count)
            }
            _ = try await xml(send(.POST, key: key, query: [("uploadId", uploadId)], body: S3XML.completeMultipartUpload(etags: etags)))
        } catch {
            // Best effort: an upload left behind holds invisible parts only (a bucket lifecycle rule can expire them).
            _ = try? await send(.DELETE, key: key, query: [("uploadId", uploadId)])
            throw error
        }
    }
}
