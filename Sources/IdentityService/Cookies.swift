import Foundation

/// The two session cookies. Both `__Host-` (so `Secure`, `Path=/`, no `Domain`), `HttpOnly`, and `SameSite=Strict`:
/// the web app and the API are one site behind nginx, so no legitimate cross-site request ever needs them, and Strict
/// removes cross-site request forgery through cookies at the browser (the Origin check is the second line).
enum Cookies {
    static let access = "__Host-ml_at"
    static let refresh = "__Host-ml_rt"

    static func set(_ name: String, _ value: String, maxAge: Duration) -> String {
        "\(name)=\(value); Max-Age=\(maxAge.components.seconds); Path=/; Secure; HttpOnly; SameSite=Strict"
    }

    static func clear(_ name: String) -> String { "\(name)=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Strict" }
}
