import type { MentorsSearchParams } from "../api";

/** What the Find a mentor page lets a person choose; kept in the page's address so a reload or a shared link keeps it. */
export interface SearchFilters {
    query: string;
    skills: string[];
    topics: string[];
    tags: string[];
    languages: string[];
    minExperience: string;
    minRating: string;
    maxPrice: string;
    availableFrom: string;
    availableTo: string;
    sort: "relevance" | "rating" | "price" | "soonest";
}

/** Nothing chosen. */
export const EMPTY_FILTERS: SearchFilters = {
    query: "",
    skills: [],
    topics: [],
    tags: [],
    languages: [],
    minExperience: "",
    minRating: "",
    maxPrice: "",
    availableFrom: "",
    availableTo: "",
    sort: "relevance",
};

const SORTS: readonly SearchFilters["sort"][] = ["relevance", "rating", "price", "soonest"];
const LISTS = ["skills", "topics", "tags", "languages"] as const;

/** Splits "Python, go ,, rust" into ["python", "go", "rust"] (lower case, no blanks, no repeats). */
export function splitList(text: string): string[] {
    const seen = new Set<string>();
    for (const part of text.split(",")) {
        const word = part.trim().toLowerCase();
        if (word) seen.add(word);
    }
    return [...seen];
}

/** A whole number >= 0 from a field, or undefined. */
function whole(text: string): number | undefined {
    if (!/^\d{1,9}$/.test(text.trim())) return undefined;
    return Number(text.trim());
}

/** A `datetime-local` value (the viewer's wall clock) as an ISO instant, or undefined. */
export function localToInstant(text: string): string | undefined {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return undefined;
    const time = new Date(text).getTime();
    return Number.isFinite(time) ? new Date(time).toISOString().replace(/\.\d{3}Z$/, "Z") : undefined;
}

/** The `mentors.search` params for the filters (only what is set), with an optional cursor and page size. */
export function searchParams(filters: SearchFilters, cursor?: string, limit = 20): MentorsSearchParams {
    const params: MentorsSearchParams = { limit };
    const query = filters.query.trim();
    if (query) params.query = query;
    for (const list of LISTS) if (filters[list].length) params[list] = filters[list];
    const experience = whole(filters.minExperience);
    if (experience !== undefined) params.minExperience = experience;
    const rating = Number(filters.minRating);
    if (filters.minRating && Number.isFinite(rating) && rating > 0) params.minRating = rating;
    const price = whole(filters.maxPrice);
    if (price !== undefined) params.maxPriceCredits = price;
    const from = localToInstant(filters.availableFrom);
    const to = localToInstant(filters.availableTo);
    if (from && to) {
        params.availableFrom = from;
        params.availableTo = to;
    }
    if (filters.sort !== "relevance") params.sort = filters.sort;
    if (cursor) params.cursor = cursor;
    return params;
}

/** The filters as a query string ("" when nothing is chosen). */
export function filtersToQuery(filters: SearchFilters): string {
    const q = new URLSearchParams();
    if (filters.query.trim()) q.set("q", filters.query.trim());
    for (const list of LISTS) if (filters[list].length) q.set(list, filters[list].join(","));
    if (filters.minExperience) q.set("experience", filters.minExperience);
    if (filters.minRating) q.set("rating", filters.minRating);
    if (filters.maxPrice) q.set("price", filters.maxPrice);
    if (filters.availableFrom) q.set("from", filters.availableFrom);
    if (filters.availableTo) q.set("to", filters.availableTo);
    if (filters.sort !== "relevance") q.set("sort", filters.sort);
    const text = q.toString();
    return text ? `?${text}` : "";
}

/** The filters a query string holds (unknown or malformed parts ignored). */
export function filtersFromQuery(search: string): SearchFilters {
    const q = new URLSearchParams(search);
    const sort = q.get("sort") as SearchFilters["sort"] | null;
    return {
        query: q.get("q") ?? "",
        skills: splitList(q.get("skills") ?? ""),
        topics: splitList(q.get("topics") ?? ""),
        tags: splitList(q.get("tags") ?? ""),
        languages: splitList(q.get("languages") ?? ""),
        minExperience: whole(q.get("experience") ?? "") !== undefined ? (q.get("experience") ?? "") : "",
        minRating: q.get("rating") ?? "",
        maxPrice: whole(q.get("price") ?? "") !== undefined ? (q.get("price") ?? "") : "",
        availableFrom: q.get("from") ?? "",
        availableTo: q.get("to") ?? "",
        sort: sort && SORTS.includes(sort) ? sort : "relevance",
    };
}

/** Adds `value` to a list filter, or takes it out when it is there (a facet checkbox). */
export function toggle(list: readonly string[], value: string): string[] {
    return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}
