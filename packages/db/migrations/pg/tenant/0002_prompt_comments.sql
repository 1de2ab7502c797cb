CREATE TABLE "prompt_comments" (
	"id" text PRIMARY KEY NOT NULL,
	"prompt_id" text NOT NULL,
	"prompt_version" integer,
	"body" text NOT NULL,
	"created_by" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "prompt_comments" ADD CONSTRAINT "prompt_comments_prompt_id_prompts_id_fk" FOREIGN KEY ("prompt_id") REFERENCES "prompts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "prompt_comments_prompt_idx" ON "prompt_comments" USING btree ("prompt_id","created_at");