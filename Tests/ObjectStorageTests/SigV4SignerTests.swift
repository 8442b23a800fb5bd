import ObjectStorage
import Testing

/// AWS's published Signature Version 4 examples: the generic test suite's `get-vanilla` and
/// `get-vanilla-query-order-key-case` (AKIDEXAMPLE, 20150830T123600Z, service `service`), and the S3 API
/// reference's "GET Object" header example and presigned-URL example (AKIAIOSFODNN7EXAMPLE, examplebucket,
/// 20130524T000000Z). moto does not check signatures, so these are what prove the signer.
@Suite struct SigV4SignerTests {
    let suite = SigV4Signer(accessKey: "AKIDEXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", region: "us-east-1", service: "service")
    let s3 = SigV4Signer(accessKey: "AKIAIOSFODNN7EXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1")
    let suiteTime: Int64 = 1_440_938_160  // 2015-08-30T12:36:00Z
    let s3Time: Int64 = 1_369_353_600  // 2013-05-24T00:00:00Z

    func authorization(_ headers: [(String, String)]) -> String? { headers.first { $0.0 == "Authorization" }?.1 }

    @Test func getVanilla() {
        let canonical = suite.canonicalRequest(
            method: "GET", path: "/", query: [], headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")],
            payloadHash: SigV4Signer.emptyPayloadHash)
        #expect(
            canonical.text
                == "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n\(SigV4Signer.emptyPayloadHash)")
        #expect(SigV4Signer.sha256Hex(Array(canonical.text.utf8)) == "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63")
        let headers = suite.sign(
            method: "GET", path: "/", headers: [("Host", "example.amazonaws.com")], payloadHash: SigV4Signer.emptyPayloadHash,
            sendContentHash: false, at: suiteTime)
        #expect(headers.contains { $0 == ("x-amz-date", "20150830T123600Z") })
        #expect(!headers.contains { $0.0 == "x-amz-content-sha256" })
        #expect(
            authorization(headers)
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, "
                + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }

    @Test func getVanillaQueryOrderKeyCase() {
        let headers = suite.sign(
            method: "GET", path: "/", query: [("Param2", "value2"), ("Param1", "value1")], headers: [("Host", "example.amazonaws.com")],
            payloadHash: SigV4Signer.emptyPayloadHash, sendContentHash: false, at: suiteTime)
        #expect(authorization(headers)?.hasSuffix("Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500") == true)
    }

    @Test func s3GetObjectWithRange() {
        let headers = s3.sign(
            method: "GET", path: "/test.txt", headers: [("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9")],
            payloadHash: SigV4Signer.emptyPayloadHash, at: s3Time)
        #expect(headers.contains { $0 == ("x-amz-content-sha256", SigV4Signer.emptyPayloadHash) })
        #expect(
            authorization(headers)
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test func s3PresignedGet() {
        let url = s3.presignedURL(method: "GET", endpoint: "https://examplebucket.s3.amazonaws.com", path: "/test.txt", expiresIn: 86_400, at: s3Time)
        #expect(
            url
                == "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z"
                + "&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
        let canonical = s3.canonicalRequest(
            method: "GET", path: "/test.txt",
            query: [
                ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"), ("X-Amz-Credential", "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"),
                ("X-Amz-Date", "20130524T000000Z"), ("X-Amz-Expires", "86400"), ("X-Amz-SignedHeaders", "host"),
            ], headers: [("host", "examplebucket.s3.amazonaws.com")], payloadHash: SigV4Signer.unsignedPayload)
        #expect(SigV4Signer.sha256Hex(Array(canonical.text.utf8)) == "3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04")
    }

    @Test func uriEncodingKeepsOnlyUnreservedBytes() {
        #expect(SigV4Signer.uriEncode("a b/ü~-_.*+=", encodeSlash: false) == "a%20b/%C3%BC~-_.%2A%2B%3D")
        #expect(SigV4Signer.uriEncode("a/b", encodeSlash: true) == "a%2Fb")
        #expect(SigV4Signer.canonicalQuery([("b", "2"), ("a", "x y"), ("uploads", ""), ("a", "1")]) == "a=1&a=x%20y&b=2&uploads=")
    }

    @Test func timestamps() {
        #expect(SigV4Signer.timestamp(0) == "19700101T000000Z")
        #expect(SigV4Signer.timestamp(1_709_164_800) == "20240229T000000Z")
        #expect(SigV4Signer.timestamp(951_825_599) == "20000229T115959Z")
        #expect(SigV4Signer.timestamp(-1) == "19691231T235959Z")
    }

    @Test func headerValuesAreTrimmedAndNamesJoined() {
        let canonical = s3.canonicalRequest(
            method: "PUT", path: "/k", query: [], headers: [("Host", "h"), ("X-Amz-Meta-A", "  one   two "), ("x-amz-meta-a", "three")],
            payloadHash: "p")
        #expect(canonical.text == "PUT\n/k\n\nhost:h\nx-amz-meta-a:one two,three\n\nhost;x-amz-meta-a\np")
    }
}
