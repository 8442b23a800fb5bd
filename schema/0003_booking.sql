-- Discovery and booking: mentor profiles, availability rules, bookings (1:1, holds, group sessions and seats),
-- pre-session forms and reviews. The invariants live here, not in the application.

-- A mentor's public profile. `search_vector` and `search_text` are written by the same statement as the profile.
CREATE TABLE mentor_profiles (
    user_id          uuid PRIMARY KEY REFERENCES users (id),
    name             text        NOT NULL,
    headline         text        NOT NULL DEFAULT '',
    bio              text        NOT NULL DEFAULT '',
    skills           text[]      NOT NULL DEFAULT '{}',
    topics           text[]      NOT NULL DEFAULT '{}',
    tags             text[]      NOT NULL DEFAULT '{}',
    -- Lower-cased copies for filters and facets; the originals keep their spelling for display.
    skill_keys       text[]      NOT NULL DEFAULT '{}',
    topic_keys       text[]      NOT NULL DEFAULT '{}',
    tag_keys         text[]      NOT NULL DEFAULT '{}',
    languages        text[]      NOT NULL DEFAULT '{}',
    years_experience int         NOT NULL DEFAULT 0 CHECK (years_experience BETWEEN 0 AND 80),
    time_zone        text        NOT NULL DEFAULT 'UTC',
    session_types    jsonb       NOT NULL DEFAULT '[]',
    -- The cheapest session type, for the price filter and sort (0 = free).
    price_credits    int         NOT NULL DEFAULT 0 CHECK (price_credits >= 0),
    rating_sum       bigint      NOT NULL DEFAULT 0,
    review_count     int         NOT NULL DEFAULT 0,
    -- Bayesian average with a prior of 4.0 worth 5 reviews: one 5-star review scores 4.17, a hundred 4.8s score 4.76.
    bayes_rating     numeric(6, 4) GENERATED ALWAYS AS ((rating_sum + 20.0) / (review_count + 5)) STORED,
    -- The start of the mentor's first free run when their runs were last rewritten (the "soonest" sort key).
    next_free_at     timestamptz,
    search_vector    tsvector    NOT NULL DEFAULT ''::tsvector,
    search_text      text        NOT NULL DEFAULT '',
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mentor_profiles_search ON mentor_profiles USING gin (search_vector);
CREATE INDEX mentor_profiles_trgm ON mentor_profiles USING gin (search_text gin_trgm_ops);
CREATE INDEX mentor_profiles_skills ON mentor_profiles USING gin (skill_keys);
CREATE INDEX mentor_profiles_topics ON mentor_profiles USING gin (topic_keys);

-- What search matches, written with the profile: name and headline weigh most, then skills, topics and tags, then
-- the bio; the trigram text (lower-cased) lets "kubernets" find Kubernetes.
CREATE FUNCTION mentor_search_vector(name text, headline text, terms text, bio text) RETURNS tsvector
LANGUAGE sql IMMUTABLE AS $$
    SELECT setweight(to_tsvector('english', name || ' ' || headline), 'A')
        || setweight(to_tsvector('english', terms), 'B')
        || setweight(to_tsvector('english', bio), 'C')
$$;
CREATE FUNCTION mentor_search_text(name text, headline text, terms text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT lower(name || ' ' || headline || ' ' || terms) $$;

-- Every skill, topic and tag any profile uses (lower-cased): a typo is corrected against these few thousand terms
-- (trigram similarity) instead of against every profile.
CREATE TABLE search_terms (
    term text PRIMARY KEY
);
CREATE INDEX search_terms_trgm ON search_terms USING gin (term gin_trgm_ops);

-- Weekly rules in the mentor's IANA zone, date overrides, buffers and limits.
CREATE TABLE availability_rules (
    mentor_id             uuid PRIMARY KEY REFERENCES users (id),
    time_zone             text        NOT NULL,
    weekly                jsonb       NOT NULL,
    overrides             jsonb       NOT NULL DEFAULT '[]',
    buffer_before_minutes int         NOT NULL DEFAULT 0 CHECK (buffer_before_minutes BETWEEN 0 AND 240),
    buffer_after_minutes  int         NOT NULL DEFAULT 0 CHECK (buffer_after_minutes BETWEEN 0 AND 240),
    min_notice_minutes    int         NOT NULL DEFAULT 0 CHECK (min_notice_minutes >= 0),
    horizon_days          int         NOT NULL DEFAULT 60 CHECK (horizon_days BETWEEN 1 AND 365),
    max_per_day           int         CHECK (max_per_day > 0),
    updated_at            timestamptz NOT NULL DEFAULT now()
);

-- Free time for search: runs of consecutive free slots of the mentor's shortest session type, rewritten in the
-- transaction of every change to the mentor's rules or bookings. A run holds a slot every `step_seconds` from
-- `starts_at`, each `slot_seconds` long, the last ending by `ends_at`.
CREATE TABLE availability_runs (
    mentor_id    uuid        NOT NULL REFERENCES users (id),
    starts_at    timestamptz NOT NULL,
    ends_at      timestamptz NOT NULL,
    step_seconds int         NOT NULL CHECK (step_seconds > 0),
    slot_seconds int         NOT NULL CHECK (slot_seconds > 0),
    CHECK (ends_at > starts_at)
);
CREATE INDEX availability_runs_mentor ON availability_runs (mentor_id, starts_at);
CREATE INDEX availability_runs_range ON availability_runs USING gist (tstzrange(starts_at, ends_at, '[)'));

-- The earliest slot of a run that starts at or after `from_at` and ends by `to_at`, if any.
CREATE FUNCTION run_first_slot(starts_at timestamptz, ends_at timestamptz, step_seconds int, slot_seconds int,
                               from_at timestamptz, to_at timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$
    SELECT s FROM (
        SELECT starts_at + make_interval(secs => step_seconds *
            greatest(0, ceil(extract(epoch FROM (from_at - starts_at)) / step_seconds))) AS s
    ) first
    WHERE s + make_interval(secs => slot_seconds) <= least(ends_at, to_at)
$$;

-- Bookings: a 1:1 booking or a hold (`one_on_one`), a group session (`group`, no mentee, with seats) or a seat in
-- one (`group_seat`, `parent_id` = the group session). A hold is a `held` row that becomes `confirmed`.
CREATE TABLE bookings (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind            text        NOT NULL CHECK (kind IN ('one_on_one', 'group', 'group_seat')),
    mentor_id       uuid        NOT NULL REFERENCES users (id),
    mentee_id       uuid        REFERENCES users (id),
    parent_id       uuid        REFERENCES bookings (id),
    starts_at       timestamptz NOT NULL,
    ends_at         timestamptz NOT NULL,
    -- The time kept free around the session: its start minus the before-buffer to its end plus the after-buffer.
    blocked_from    timestamptz NOT NULL,
    blocked_until   timestamptz NOT NULL,
    status          text        NOT NULL CHECK (status IN ('held', 'confirmed', 'cancelled', 'expired')),
    hold_expires_at timestamptz,
    capacity        int,
    seats_taken     int         NOT NULL DEFAULT 0,
    title           text,
    topic           text,
    idempotency_key text,
    request_hash    text,
    agenda          jsonb,
    cancel_reason   text,
    cancelled_by    uuid,
    cancelled_at    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at),
    CHECK (blocked_from <= starts_at AND blocked_until >= ends_at),
    CHECK (status <> 'held' OR hold_expires_at IS NOT NULL),
    CHECK ((kind = 'group') = (capacity IS NOT NULL)),
    CHECK (kind <> 'group' OR (capacity > 0 AND seats_taken BETWEEN 0 AND capacity)),
    CHECK ((kind = 'group_seat') = (parent_id IS NOT NULL)),
    CHECK (kind = 'group' OR mentee_id IS NOT NULL),
    -- No two active sessions of one mentor overlap; back-to-back is allowed ('[)' ranges).
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (
        mentor_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&
    ) WHERE (status IN ('held', 'confirmed') AND kind IN ('one_on_one', 'group')),
    -- The same with the buffers: the slot grid and the database agree on what a buffer keeps free.
    CONSTRAINT bookings_no_overlap_buffered EXCLUDE USING gist (
        mentor_id WITH =, tstzrange(blocked_from, blocked_until, '[)') WITH &&
    ) WHERE (status IN ('held', 'confirmed') AND kind IN ('one_on_one', 'group'))
);
CREATE UNIQUE INDEX bookings_idempotency ON bookings (mentee_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE UNIQUE INDEX bookings_one_seat ON bookings (parent_id, mentee_id) WHERE kind = 'group_seat' AND status = 'confirmed';
CREATE INDEX bookings_mentor ON bookings (mentor_id, starts_at);
CREATE INDEX bookings_mentee ON bookings (mentee_id, starts_at);
CREATE INDEX bookings_parent ON bookings (parent_id) WHERE parent_id IS NOT NULL;

-- A mentor's pre-session questions.
CREATE TABLE form_templates (
    mentor_id  uuid PRIMARY KEY REFERENCES users (id),
    questions  jsonb       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- One review per booking, by its mentee, with one reply by the mentor.
CREATE TABLE reviews (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    booking_id uuid        NOT NULL REFERENCES bookings (id),
    mentor_id  uuid        NOT NULL REFERENCES users (id),
    author_id  uuid        NOT NULL REFERENCES users (id),
    rating     int         NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment    text,
    reply      text,
    replied_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (booking_id, author_id)
);
CREATE INDEX reviews_mentor ON reviews (mentor_id, created_at DESC, id DESC);

-- Keyset pagination over the sort keys search uses (ascending key, then id).
CREATE INDEX mentor_profiles_rating_key ON mentor_profiles ((-(bayes_rating::float8)), user_id);
CREATE INDEX mentor_profiles_price_key ON mentor_profiles ((price_credits::float8), user_id);
