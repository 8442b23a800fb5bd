import JSONRPC
import Testing

/// The Cookie header as the worker reads it: first value of a name wins, spaces around names and values go, and a
/// pair without a name names nothing (FuzzHTTPHead found `=value` read as a cookie named "").
@Suite struct RequestCredentialsTests {
    @Test func cookiesWithoutANameAreIgnored() {
        #expect(RequestCredentials.parseCookies("=--tc 123; =- tc80; a=b") == ["a": "b"])
        #expect(RequestCredentials.parseCookies(" a = 1 ; a=2;b=x=y") == ["a": "1", "b": "x=y"])
        #expect(RequestCredentials.parseCookies(nil) == [:])
    }
}
