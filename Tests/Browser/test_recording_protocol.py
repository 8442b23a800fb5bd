"""The recording upload protocol (tus 1.0 at /uploads/) and recordings' access, through nginx as a script would use
them: every refusal the protocol promises (412, 401, 404, 403, 409, 460, 413, 415, 410) with its JSON reason, a
resumed upload, an outsider who cannot open, read or list a recording, and a signed link that expires."""
import base64
import hashlib
import http.client
import json
import subprocess
import time
import urllib.parse

from admin_support import sql
from harness import Browsers, Stack, seed_open_session

TUS = {"Tus-Resumable": "1.0.0"}


def request(stack: Stack, method: str, path: str, token: str | None, headers: dict | None = None, body: bytes = b""):
    """One HTTP request through nginx; returns (status, headers (lower-case names), parsed JSON body or None)."""
    url = urllib.parse.urlsplit(stack.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=20)
    all_headers = {"Origin": stack.url, **(headers or {})}
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    try:
        connection.request(method, path, body=body, headers=all_headers)
        answer = connection.getresponse()
        data = answer.read()
        fields = {k.lower(): v for k, v in answer.getheaders()}
        parsed = json.loads(data) if data and fields.get("content-type", "").startswith("application/json") else None
        return answer.status, fields, parsed
    finally:
        connection.close()


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def checksum(data: bytes) -> str:
    return "sha256 " + base64.b64encode(hashlib.sha256(data).digest()).decode()


def create(stack, token, recording_id, extra=None):
    headers = {**TUS, "Upload-Defer-Length": "1", "Upload-Metadata": f"recordingId {b64(recording_id)},filetype {b64('video/webm')}"}
    headers.update(extra or {})
    headers = {k: v for k, v in headers.items() if v is not None}
    return request(stack, "POST", "/uploads/", token, headers)


def patch(stack, token, location, offset, data, extra=None):
    headers = {**TUS, "Content-Type": "application/offset+octet-stream", "Upload-Offset": str(offset), "Upload-Checksum": checksum(data)}
    headers.update(extra or {})
    return request(stack, "PATCH", location, token, headers, data)


def reason(answer) -> str:
    return (answer[2] or {}).get("error", {}).get("reason", "")


def test_tus_protocol_and_recording_access(stack: Stack, browsers: Browsers) -> None:
    s = seed_open_session(stack, "Tess Tusmentor", "Una Uploader")
    _, outsider = stack.account("mentee", "Otto Outsider")
    recording = stack.seed_rpc("recordings.start", {"roomId": s.booking_id}, s.mentor_token)["recording"]
    rid = recording["id"]
    assert recording["state"] == "recording"
    # Idempotent: a second start answers the running recording.
    assert stack.seed_rpc("recordings.start", {"roomId": s.booking_id}, s.mentor_token)["recording"]["id"] == rid

    # OPTIONS: what the server speaks.
    status, headers, _ = request(stack, "OPTIONS", "/uploads/", None)
    assert status == 204 and headers["tus-version"] == "1.0.0", (status, headers)
    assert "creation-defer-length" in headers["tus-extension"] and headers["tus-checksum-algorithm"] == "sha256"

    # Creation refusals.
    assert reason(request(stack, "POST", "/uploads/", s.mentee_token, {"Upload-Defer-Length": "1"})) == "tus_version"
    assert request(stack, "POST", "/uploads/", s.mentee_token, {"Upload-Defer-Length": "1"})[0] == 412
    answer = create(stack, None, rid)
    assert answer[0] == 401 and reason(answer) == "unauthenticated", answer
    answer = create(stack, outsider, rid)
    assert answer[0] == 404 and reason(answer) == "not_found", answer
    answer = create(stack, s.mentee_token, rid, {"Upload-Metadata": f"recordingId {b64(rid)},filetype {b64('text/html')}"})
    assert answer[0] == 415 and reason(answer) == "unsupported_type", answer
    answer = create(stack, s.mentee_token, rid, {"Upload-Metadata": "recordingId !!!"})
    assert answer[0] == 400 and reason(answer) == "invalid_metadata", answer
    answer = create(stack, s.mentee_token, rid, {"Upload-Defer-Length": None, "Upload-Length": "0"})
    assert answer[0] == 400 and reason(answer) == "invalid_length", answer  # an empty track is terminated, not created
    answer = create(stack, s.mentee_token, rid, {"Upload-Length": str(1 << 40)})
    assert answer[0] == 400, answer  # both Upload-Length and Upload-Defer-Length

    # A track, uploaded in pieces.
    status, headers, _ = create(stack, s.mentee_token, rid)
    assert status == 201, (status, headers)
    location = headers["location"]
    assert location.startswith("/uploads/") and headers["upload-defer-length"] == "1" and "upload-expires" in headers
    media = bytes(range(256)) * 64  # 16 KiB
    status, headers, _ = patch(stack, s.mentee_token, location, 0, media[:4096])
    assert status == 204 and headers["upload-offset"] == "4096", (status, headers)

    # Someone else's upload: 403 on HEAD, PATCH and DELETE; a wrong offset 409 with the server's; a bad checksum 460.
    assert request(stack, "HEAD", location, s.mentor_token, TUS)[0] == 403
    assert reason(patch(stack, s.mentor_token, location, 4096, media[4096:8192])) == "forbidden"
    assert request(stack, "DELETE", location, outsider, TUS)[0] == 403
    status, headers, body = patch(stack, s.mentee_token, location, 1000, media[1000:2000])
    assert status == 409 and body["error"]["reason"] == "offset_mismatch" and headers["upload-offset"] == "4096", (status, headers, body)
    answer = patch(stack, s.mentee_token, location, 4096, media[4096:8192], {"Upload-Checksum": checksum(b"other bytes")})
    assert answer[0] == 460 and reason(answer) == "checksum_mismatch", answer
    answer = patch(stack, s.mentee_token, location, 4096, media[4096:8192], {"Content-Type": "application/json"})
    assert answer[0] == 415 and reason(answer) == "unsupported_media_type", answer
    # Nothing of the refused requests was written: HEAD still says 4096.
    status, headers, _ = request(stack, "HEAD", location, s.mentee_token, TUS)
    assert status == 200 and headers["upload-offset"] == "4096" and headers.get("cache-control") == "no-store", (status, headers)

    # Past the declared length: 413; a body over nginx's per-request cap: 413 at the edge.
    answer = patch(stack, s.mentee_token, location, 4096, media[4096:8192], {"Upload-Length": "5000"})
    assert answer[0] == 413 and reason(answer) == "too_large", answer
    assert patch(stack, s.mentee_token, location, 4096, b"x" * (17 << 20))[0] == 413

    # Resume from HEAD's offset and finish, declaring the length with the last bytes.
    status, headers, _ = patch(stack, s.mentee_token, location, 4096, media[4096:], {"Upload-Length": str(len(media))})
    assert status == 204 and headers["upload-offset"] == str(len(media)) and headers["upload-length"] == str(len(media)), (status, headers)
    assert reason(patch(stack, s.mentee_token, location, len(media), b"more")) in ("complete", "too_large")

    # Expired: an upload whose expiry passed answers 410 (the test moves its expiry into the past).
    status, headers, _ = create(stack, s.mentee_token, rid)
    stale = headers["location"]
    sql(stack, "UPDATE recording_tracks SET expires_at = now() - interval '1 minute' WHERE id = :'v1'", stale.rsplit("/", 1)[1])
    assert request(stack, "HEAD", stale, s.mentee_token, TUS)[0] == 410  # (a HEAD answer has no body to name the reason)
    answer = patch(stack, s.mentee_token, stale, 0, b"late")
    assert answer[0] == 410 and reason(answer) == "expired", answer
    assert request(stack, "DELETE", stale, s.mentee_token, TUS)[0] == 204  # termination
    assert request(stack, "HEAD", stale, s.mentee_token, TUS)[0] == 404

    # The recording as its participants, an outsider and nobody see it.
    got = stack.seed_rpc("recordings.get", {"recordingId": rid}, s.mentee_token)["recording"]
    assert [t["complete"] for t in got["tracks"]] == [True] and got["tracks"][0]["bytes"] == len(media), got
    for method, params in (("recordings.get", {"recordingId": rid}), ("recordings.list", {"bookingId": s.booking_id}),
                           ("recordings.delete", {"recordingId": rid}), ("recordings.stop", {"roomId": s.booking_id})):
        try:
            stack.seed_rpc(method, params, outsider)
            raise AssertionError(f"{method} answered an outsider")
        except Exception as error:  # noqa: BLE001 (RPCFailure carries the envelope)
            assert "not_found" in str(error), (method, error)
    assert stack.seed_rpc("recordings.list", {}, outsider)["items"] == []
    assert [r["id"] for r in stack.seed_rpc("recordings.list", {"bookingId": s.booking_id}, s.mentee_token)["items"]] == [rid]
    try:
        stack.seed_rpc("recordings.stop", {"roomId": s.booking_id}, s.mentee_token)
        raise AssertionError("a mentee stopped the recording")
    except Exception as error:  # noqa: BLE001
        assert "forbidden" in str(error), error

    # Stopped: a new upload is refused; the recording moves on (every track is complete: straight to processing).
    stopped = stack.seed_rpc("recordings.stop", {"roomId": s.booking_id}, s.mentor_token)["recording"]
    assert stopped["state"] in ("processing", "finalizing", "failed", "partial", "ready"), stopped
    answer = create(stack, s.mentee_token, rid)
    assert answer[0] == 409 and reason(answer) == "recording_not_running", answer


def test_signed_media_links_expire(stack: Stack, browsers: Browsers) -> None:
    """A link of the directory object store: served while valid, 403 when forged, 410 when expired (nginx's
    secure_link); made here the way the store makes them, from the stack's MEDIA_SECRET."""
    secret = next(line.split("=", 1)[1] for line in open(f"{stack.run_dir}/secrets.env").read().splitlines() if line.startswith("MEDIA_SECRET="))
    key = f"recordings/test-{int(time.time() * 1000)}/outputs/hello.txt"
    path = f"{stack.run_dir}/objects/{key}"
    subprocess.run(["mkdir", "-p", path.rsplit("/", 1)[0]], check=True)
    with open(path, "w") as f:
        f.write("hello")
    subprocess.run(["chmod", "-R", "a+rX", f"{stack.run_dir}/objects"], check=True)

    def link(expires: int) -> str:
        signed = "/".join(key.split("/")[:2])
        digest = hashlib.md5(f"{expires}/{signed} {secret}".encode()).digest()
        token = base64.urlsafe_b64encode(digest).decode().rstrip("=")
        return f"/media/{token}/{expires}/{key}"

    future = int(time.time()) + 60
    status, _, _ = request(stack, "GET", link(future), None)
    assert status == 200, status
    assert request(stack, "GET", link(future).replace("/media/", "/media/A"), None)[0] == 403
    assert request(stack, "GET", link(int(time.time()) - 5), None)[0] == 410

