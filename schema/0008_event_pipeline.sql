-- Dead letters: messages a consumer could not handle after its retries. The consumer commits past a message only
-- after it was handled or parked here; an admin lists them and asks for a replay, which the consumer runs.
CREATE TABLE dead_letters (
    id                  bigserial PRIMARY KEY,
    consumer            text        NOT NULL,
    topic               text        NOT NULL,
    kafka_partition     integer     NOT NULL,
    kafka_offset        bigint      NOT NULL CHECK (kafka_offset >= 0),
    message_key         bytea       NOT NULL,
    message_value       bytea       NOT NULL,
    error               text        NOT NULL,
    attempts            integer     NOT NULL CHECK (attempts > 0),
    state               text        NOT NULL DEFAULT 'parked' CHECK (state IN ('parked', 'replaying', 'replayed')),
    parked_at           timestamptz NOT NULL DEFAULT now(),
    replay_requested_at timestamptz,
    replayed_at         timestamptz,
    UNIQUE (consumer, topic, kafka_partition, kafka_offset)
);
CREATE INDEX dead_letters_consumer ON dead_letters (consumer, id);
CREATE INDEX dead_letters_replaying ON dead_letters (consumer, id) WHERE state = 'replaying';
