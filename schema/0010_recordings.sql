-- Recordings: each participant's browser records itself and uploads with tus (one upload = one track); the media
-- consumer turns complete tracks into MP4s, a composite and HLS in the object store.

-- The mentor's default, copied into each booking when it is made (the mentee saw it when booking: consent).
ALTER TABLE mentor_profiles ADD COLUMN auto_record boolean NOT NULL DEFAULT true;
ALTER TABLE bookings ADD COLUMN record_consent boolean NOT NULL DEFAULT true;

CREATE TABLE recordings (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- The room: a 1:1 booking or a group session (a room's id is its booking's).
    room_id     uuid        NOT NULL REFERENCES bookings (id),
    mentor_id   uuid        NOT NULL REFERENCES users (id),
    state       text        NOT NULL CHECK (state IN ('recording', 'finalizing', 'processing', 'ready', 'partial', 'failed')),
    auto        boolean     NOT NULL DEFAULT false,
    started_by  uuid        REFERENCES users (id),
    started_at  timestamptz NOT NULL DEFAULT now(),
    stopped_at  timestamptz,
    -- Past this, a finalizing recording is processed with the tracks that are complete (the rest are missing).
    finalize_by timestamptz,
    -- Bumped whenever the set of complete tracks changes after processing began: media jobs are keyed by
    -- (id, revision), so a late track is processed again and a redelivered job is not.
    revision    int         NOT NULL DEFAULT 0,
    processed_revision int,
    progress    int         NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    failure     text,
    gaps        jsonb       NOT NULL DEFAULT '[]',
    outputs     jsonb       NOT NULL DEFAULT '[]',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (state = 'recording' OR stopped_at IS NOT NULL)
);
-- At most one recording runs in a room.
CREATE UNIQUE INDEX recordings_one_running ON recordings (room_id) WHERE state = 'recording';
CREATE INDEX recordings_room ON recordings (room_id, created_at DESC, id DESC);
CREATE INDEX recordings_finalizing ON recordings (finalize_by) WHERE state = 'finalizing';
CREATE INDEX recordings_age ON recordings (created_at);

CREATE TABLE recording_tracks (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    recording_id   uuid        NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
    participant_id uuid        NOT NULL REFERENCES users (id),
    mime           text        NOT NULL,
    -- Stamped by the server when the upload is created: tracks are aligned on these, not on client clocks.
    started_at     timestamptz NOT NULL DEFAULT now(),
    -- The client's clock minus the server's at creation (from the client's own timestamp), for diagnosis.
    client_offset_ms bigint,
    -- NULL while deferred (Upload-Defer-Length: 1): declared by the last PATCH when recording stops.
    length         bigint CHECK (length IS NULL OR length >= 0),
    "offset"       bigint      NOT NULL DEFAULT 0 CHECK ("offset" >= 0),
    expires_at     timestamptz NOT NULL,
    completed_at   timestamptz,
    duration_ms    bigint,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (length IS NULL OR "offset" <= length),
    CHECK (completed_at IS NULL OR "offset" = length)
);
CREATE INDEX recording_tracks_recording ON recording_tracks (recording_id, started_at);

-- The consent travels with the booking: whatever the mentor's setting becomes later, a booking keeps what its mentee
-- saw. A group seat's consent is its group session's (the room's).
CREATE FUNCTION bookings_record_consent() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.record_consent := coalesce((SELECT auto_record FROM mentor_profiles WHERE user_id = NEW.mentor_id), true);
    RETURN NEW;
END $$;
CREATE TRIGGER bookings_record_consent BEFORE INSERT ON bookings FOR EACH ROW EXECUTE FUNCTION bookings_record_consent();
