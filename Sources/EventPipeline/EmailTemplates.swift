import Mustache

/// The emails, as Mustache templates: a subject, a plain-text part and an HTML part per event. Values: `name`,
/// `title`, `body`, `unsubscribe`.
enum EmailTemplates {
    static let subject = try! MustacheTemplate(string: "MentorLink: {{title}}")
    static let text = try! MustacheTemplate(
        string: """
            Hello {{name}},

            {{body}}

            — MentorLink
            To stop these emails: {{unsubscribe}}

            """)
    static let html = try! MustacheTemplate(
        string: """
            <!doctype html>
            <html><body style="font-family: sans-serif">
            <p>Hello {{name}},</p>
            <p><strong>{{title}}</strong></p>
            <p>{{body}}</p>
            <p style="color: #666">— MentorLink · <a href="{{unsubscribe}}">Unsubscribe</a></p>
            </body></html>

            """)
}
