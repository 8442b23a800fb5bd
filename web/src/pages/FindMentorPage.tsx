import { useEffect, useRef, useState, type FormEvent } from "react";
import type { MentorsSearchResult } from "../api";
import { useServices } from "../app/context";
import { navigate, useLocation } from "../app/router";
import { ErrorMessage } from "../components/ErrorMessage";
import { MentorCard } from "../components/MentorCard";
import { EMPTY_FILTERS, filtersFromQuery, filtersToQuery, searchParams, splitList, toggle, type SearchFilters } from "./searchFilters";

type Facets = MentorsSearchResult["facets"];
type Item = MentorsSearchResult["items"][number];

/** Typing pauses this long before the search runs. */
const DEBOUNCE_MS = 250;

/** Find a mentor: text search (typo-tolerant on the server), filters, facets with counts, sort, and "More". */
export function FindMentorPage() {
    const { api } = useServices();
    const { search } = useLocation();
    const filters = filtersFromQuery(search);
    const [text, setText] = useState(filters.query);
    const [items, setItems] = useState<Item[]>([]);
    const [facets, setFacets] = useState<Facets | null>(null);
    const [cursor, setCursor] = useState<string | undefined>();
    const [loading, setLoading] = useState(true);
    const [error, setError] = useState<unknown>(null);
    const generation = useRef(0);

    const apply = (next: SearchFilters) => navigate(`/mentors${filtersToQuery(next)}`, true);

    // The search box applies itself after a pause in typing.
    useEffect(() => {
        if (text === filters.query) return;
        const timer = setTimeout(() => apply({ ...filters, query: text }), DEBOUNCE_MS);
        return () => clearTimeout(timer);
        // eslint-disable-next-line react-hooks/exhaustive-deps
    }, [text]);

    // Every change of the address runs the first page again; older answers that arrive late are dropped.
    useEffect(() => {
        const mine = ++generation.current;
        setLoading(true);
        setError(null);
        api.mentors
            .search(searchParams(filtersFromQuery(search)))
            .then((result) => {
                if (mine !== generation.current) return;
                setItems(result.items);
                setFacets(result.facets);
                setCursor(result.nextCursor);
            })
            .catch((e) => mine === generation.current && setError(e))
            .finally(() => mine === generation.current && setLoading(false));
    }, [api, search]);

    const more = async () => {
        if (!cursor) return;
        const mine = ++generation.current;
        setLoading(true);
        try {
            const result = await api.mentors.search(searchParams(filters, cursor));
            if (mine !== generation.current) return;
            setItems((current) => [...current, ...result.items]);
            setCursor(result.nextCursor);
        } catch (e) {
            if (mine === generation.current) setError(e);
        } finally {
            if (mine === generation.current) setLoading(false);
        }
    };

    const submitSearch = (event: FormEvent) => {
        event.preventDefault();
        apply({ ...filters, query: text });
    };

    return (
        <div className="find">
            <h1>Find a mentor</h1>
            <form role="search" className="search-bar" onSubmit={submitSearch}>
                <label htmlFor="mentor-search" className="visually-hidden">
                    Search mentors
                </label>
                <input
                    id="mentor-search"
                    type="search"
                    placeholder="Skill, topic or name (typos are fine)"
                    value={text}
                    onChange={(e) => setText(e.target.value)}
                    autoComplete="off"
                />
                <button type="submit">Search</button>
            </form>
            <div className="find-layout">
                <aside className="filters" aria-label="Filters">
                    <FilterForm filters={filters} onApply={apply} />
                    {facets ? <FacetList facets={facets} filters={filters} onApply={apply} /> : null}
                </aside>
                <section className="results" aria-label="Results" aria-busy={loading}>
                    <div className="results-head">
                        <p role="status">{loading ? "Searching…" : items.length === 0 ? "No mentor matches. Try fewer filters." : `${items.length}${cursor ? "+" : ""} mentors`}</p>
                        <label className="sort">
                            Sort by{" "}
                            <select value={filters.sort} onChange={(e) => apply({ ...filters, sort: e.target.value as SearchFilters["sort"] })}>
                                <option value="relevance">Best match</option>
                                <option value="rating">Rating</option>
                                <option value="price">Price</option>
                                <option value="soonest">Soonest available</option>
                            </select>
                        </label>
                    </div>
                    <ErrorMessage error={error} />
                    <ul className="cards">
                        {items.map((mentor) => (
                            <li key={mentor.id}>
                                <MentorCard mentor={mentor} />
                            </li>
                        ))}
                    </ul>
                    {cursor ? (
                        <button type="button" className="more" onClick={more} disabled={loading}>
                            More
                        </button>
                    ) : null}
                </section>
            </div>
        </div>
    );
}

/** The filters that need typing or choosing; applied together with "Apply filters". */
function FilterForm({ filters, onApply }: { filters: SearchFilters; onApply: (f: SearchFilters) => void }) {
    const [draft, setDraft] = useState(() => draftOf(filters));
    useEffect(() => setDraft(draftOf(filters)), [filters.skills.join(), filters.topics.join(), filters.tags.join(), filters.languages.join()]); // eslint-disable-line
    const set = (key: keyof typeof draft) => (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value });
    const submit = (event: FormEvent) => {
        event.preventDefault();
        onApply({
            ...filters,
            skills: splitList(draft.skills),
            topics: splitList(draft.topics),
            tags: splitList(draft.tags),
            languages: splitList(draft.languages),
            minExperience: draft.minExperience,
            minRating: draft.minRating,
            maxPrice: draft.maxPrice,
            availableFrom: draft.availableFrom,
            availableTo: draft.availableTo,
        });
    };
    return (
        <form onSubmit={submit} className="filter-form">
            <h2>Filters</h2>
            <label>
                Skills <input value={draft.skills} onChange={set("skills")} placeholder="e.g. swift, sql" />
            </label>
            <label>
                Topics <input value={draft.topics} onChange={set("topics")} placeholder="e.g. career" />
            </label>
            <label>
                Tags <input value={draft.tags} onChange={set("tags")} />
            </label>
            <label>
                Languages <input value={draft.languages} onChange={set("languages")} placeholder="e.g. en, hi" />
            </label>
            <label>
                Minimum years of experience <input type="number" min={0} inputMode="numeric" value={draft.minExperience} onChange={set("minExperience")} />
            </label>
            <label>
                Minimum rating{" "}
                <select value={draft.minRating} onChange={set("minRating")}>
                    <option value="">Any</option>
                    <option value="3">3 and up</option>
                    <option value="4">4 and up</option>
                    <option value="4.5">4.5 and up</option>
                </select>
            </label>
            <label>
                Maximum price (credits) <input type="number" min={0} inputMode="numeric" value={draft.maxPrice} onChange={set("maxPrice")} />
            </label>
            <fieldset>
                <legend>Available between</legend>
                <label>
                    From <input type="datetime-local" value={draft.availableFrom} onChange={set("availableFrom")} />
                </label>
                <label>
                    To <input type="datetime-local" value={draft.availableTo} onChange={set("availableTo")} />
                </label>
            </fieldset>
            <div className="filter-actions">
                <button type="submit">Apply filters</button>
                <button type="button" onClick={() => onApply({ ...EMPTY_FILTERS, query: filters.query, sort: filters.sort })}>
                    Clear filters
                </button>
            </div>
        </form>
    );
}

function draftOf(f: SearchFilters) {
    return {
        skills: f.skills.join(", "),
        topics: f.topics.join(", "),
        tags: f.tags.join(", "),
        languages: f.languages.join(", "),
        minExperience: f.minExperience,
        minRating: f.minRating,
        maxPrice: f.maxPrice,
        availableFrom: f.availableFrom,
        availableTo: f.availableTo,
    };
}

/** Facet counts of the current results (skills, topics) as checkboxes that narrow the search. */
function FacetList({ facets, filters, onApply }: { facets: Facets; filters: SearchFilters; onApply: (f: SearchFilters) => void }) {
    const group = (title: string, key: "skills" | "topics", counts: Record<string, number>) => {
        const entries = Object.entries(counts)
            .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
            .slice(0, 12);
        if (entries.length === 0) return null;
        return (
            <fieldset className="facet">
                <legend>{title}</legend>
                {entries.map(([value, count]) => (
                    <label key={value}>
                        <input type="checkbox" checked={filters[key].includes(value)} onChange={() => onApply({ ...filters, [key]: toggle(filters[key], value) })} />{" "}
                        {value} <span className="count">({count})</span>
                    </label>
                ))}
            </fieldset>
        );
    };
    return (
        <div className="facets">
            {group("Skills", "skills", facets.skills)}
            {group("Topics", "topics", facets.topics)}
            {facets.sampled ? <p className="hint">Counts are estimated from a sample.</p> : null}
        </div>
    );
}
