import type { MentorsSearchResult } from "../api";
import { Link } from "../app/router";
import { formatLocal } from "./time";

/** One search result: an article whose heading is the mentor's name, linking to the profile. */
export function MentorCard({ mentor }: { mentor: MentorsSearchResult["items"][number] }) {
    const headingId = `mentor-${mentor.id}`;
    return (
        <article className="card" aria-labelledby={headingId}>
            <h2 id={headingId}>
                <Link to={`/mentors/${encodeURIComponent(mentor.id)}`}>{mentor.name}</Link>
            </h2>
            <p className="headline">{mentor.headline}</p>
            <ul className="chips" aria-label="Skills">
                {mentor.skills.slice(0, 8).map((s) => (
                    <li key={s}>{s}</li>
                ))}
            </ul>
            <dl className="facts">
                <div>
                    <dt>Rating</dt>
                    <dd>{mentor.reviewCount > 0 && mentor.rating !== undefined ? `${mentor.rating.toFixed(1)} (${mentor.reviewCount})` : "New"}</dd>
                </div>
                <div>
                    <dt>Experience</dt>
                    <dd>{mentor.yearsExperience} years</dd>
                </div>
                <div>
                    <dt>From</dt>
                    <dd>{mentor.priceCredits === 0 ? "Free" : `${mentor.priceCredits} credits`}</dd>
                </div>
                {mentor.nextAvailable ? (
                    <div>
                        <dt>Next free</dt>
                        <dd>
                            <time dateTime={mentor.nextAvailable}>{formatLocal(mentor.nextAvailable)}</time>
                        </dd>
                    </div>
                ) : null}
            </dl>
        </article>
    );
}
