import { useId } from "react";
import { Link, navigate } from "../../app/router";
import { formatLocal } from "../../components/time";
import { CancelSession } from "./CancelSession";
import { RescheduleProposal } from "./RescheduleProposal";
import { RescheduleSession } from "./RescheduleSession";
import { ReviewForm } from "./ReviewForm";
import { isCancellable, isJoinable, isReschedulable, isReviewable, otherSide, pendingProposal, roomPath, sessionTitle, type Booking } from "./sessionRules";

/** One session in "My sessions": when, with whom, its agenda, and what can be done now (join, reschedule, cancel, review). */
export function SessionCard({ booking: b, mentorName, userId, now, onChanged }: {
    booking: Booking;
    mentorName?: string;
    userId: string;
    now: number;
    /** Something changed (a cancellation, a new time): `notice` says what, for the page to announce. */
    onChanged(notice: string): void;
}) {
    const headingId = useId();
    const title = sessionTitle(b, mentorName, userId);
    const agenda = Object.entries(b.agenda ?? {}).filter(([, answer]) => answer.trim() !== "");
    const other = otherSide(b, mentorName, userId);
    const proposal = pendingProposal(b, userId);
    return (
        <article className="card session" aria-labelledby={headingId}>
            <h3 id={headingId}>{title}</h3>
            <p>
                <time dateTime={b.start}>{formatLocal(b.start)}</time> –{" "}
                <time dateTime={b.end}>{formatLocal(b.end, { hour: "2-digit", minute: "2-digit" })}</time>
                {" · "}
                <span className={`status status-${b.status}`}>{b.status}</span>
                {b.priceCredits > 0 ? ` · ${b.priceCredits} credits` : ""}
                {b.mentorId !== userId ? (
                    <>
                        {" · "}
                        <Link to={`/mentors/${encodeURIComponent(b.mentorId)}`}>Mentor's profile</Link>
                    </>
                ) : null}
            </p>
            {b.cancelReason ? <p className="hint">Cancelled: {b.cancelReason}</p> : null}
            {agenda.length > 0 ? (
                <details className="agenda-answers">
                    <summary>Agenda</summary>
                    <dl>
                        {agenda.map(([question, answer]) => (
                            <div key={question}>
                                <dt>{question}</dt>
                                <dd>{answer}</dd>
                            </div>
                        ))}
                    </dl>
                </details>
            ) : b.kind !== "group" && b.status === "confirmed" ? (
                <p className="hint">No agenda given.</p>
            ) : null}
            {proposal ? <RescheduleProposal bookingId={b.id} start={proposal.start} mine={proposal.mine} other={other} onAnswered={onChanged} /> : null}
            <div className="actions">
                {isJoinable(b, now) ? (
                    <button type="button" className="primary" onClick={() => navigate(roomPath(b.id))}>
                        Join session
                    </button>
                ) : null}
                {isReschedulable(b, now) ? (
                    <RescheduleSession
                        booking={b}
                        userId={userId}
                        other={other}
                        onDone={(r) =>
                            onChanged(
                                r.pendingAcceptance
                                    ? `New time proposed for ${title}: waiting for ${other} to accept.`
                                    : `${title} moved to ${formatLocal(r.booking.start)}.`,
                            )
                        }
                    />
                ) : null}
                {isCancellable(b, now) ? (
                    <CancelSession
                        bookingId={b.id}
                        priceCredits={b.priceCredits}
                        onCancelled={(policy) => onChanged(`${title} is cancelled. ${policy.summary}`)}
                    />
                ) : null}
            </div>
            {isReviewable(b, now, userId) ? <ReviewForm bookingId={b.id} /> : null}
        </article>
    );
}
