CREATE TABLE "order_status_counts" (
	"status" text NOT NULL,
	"shard" integer NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "order_status_counts_status_shard_pk" PRIMARY KEY("status","shard")
);
