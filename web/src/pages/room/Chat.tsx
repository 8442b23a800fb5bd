import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { ErrorMessage } from "../../components/ErrorMessage";
import { formatLocal } from "../../components/time";
import type { ChatMessage } from "./roomState";

/** The room's chat: messages in a `log` named "Chat", who is typing, the "Message" box and "Send". */
export function Chat({ messages, nameOf, typing, canSend, onSend, onTyping }: {
    messages: ChatMessage[];
    nameOf(userId: string): string;
    typing: string[];
    canSend: boolean;
    onSend(text: string): Promise<void>;
    onTyping(): void;
}) {
    const id = useId();
    const [draft, setDraft] = useState("");
    const [sending, setSending] = useState(false);
    const [error, setError] = useState<unknown>();
    const log = useRef<HTMLOListElement>(null);
    useEffect(() => {
        const el = log.current;
        if (el) el.scrollTop = el.scrollHeight;
    }, [messages.length]);

    const submit = async (event: FormEvent) => {
        event.preventDefault();
        const text = draft.trim();
        if (!text) return;
        setSending(true);
        setError(undefined);
        try {
            await onSend(text);
            setDraft("");
        } catch (e) {
            setError(e);
        } finally {
            setSending(false);
        }
    };

    return (
        <section className="chat" aria-labelledby={`${id}-title`}>
            <h2 id={`${id}-title`}>Chat</h2>
            <ol className="chat-log" role="log" aria-label="Chat" ref={log} tabIndex={0}>
                {messages.length === 0 ? <li className="hint">No messages yet.</li> : null}
                {messages.map((m) => (
                    <li key={m.seq} data-seq={m.seq}>
                        <span className="chat-who">{nameOf(m.senderId)}</span> <time dateTime={m.sentAt}>{formatLocal(m.sentAt, { hour: "2-digit", minute: "2-digit" })}</time>
                        <p>{m.text}</p>
                    </li>
                ))}
            </ol>
            <p className="typing" aria-live="polite">
                {typing.length ? `${typing.map(nameOf).join(", ")} ${typing.length === 1 ? "is" : "are"} typing…` : ""}
            </p>
            <form className="chat-form" onSubmit={submit}>
                <label htmlFor={`${id}-message`} className="visually-hidden">
                    Message
                </label>
                <input
                    id={`${id}-message`}
                    maxLength={2000}
                    autoComplete="off"
                    placeholder="Write a message"
                    value={draft}
                    disabled={!canSend}
                    onChange={(e) => {
                        setDraft(e.target.value);
                        if (e.target.value) onTyping();
                    }}
                />
                <button type="submit" className="primary" disabled={!canSend || sending || !draft.trim()}>
                    Send
                </button>
            </form>
            <ErrorMessage error={error} />
        </section>
    );
}
