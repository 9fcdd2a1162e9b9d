using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workflows.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "definitions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    definition_id = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    version = table.Column<int>(type: "int", nullable: false),
                    name = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    json = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    content_hash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    is_published = table.Column<bool>(type: "bit", nullable: false),
                    is_latest = table.Column<bool>(type: "bit", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    source = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_definitions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "instances",
                columns: table => new
                {
                    id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    definition_id = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    definition_version = table.Column<int>(type: "int", nullable: false),
                    status = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    sub_status = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    correlation_id = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    name = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    state_json = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    incident_count = table.Column<int>(type: "int", nullable: false),
                    version = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_instances", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "journal_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    instance_id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    activity_id = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    @event = table.Column<string>(name: "event", type: "nvarchar(50)", maxLength: 50, nullable: false),
                    actor = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    summary = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    data_json = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    remote_address = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    client = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_journal_entries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    instance_id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    kind = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: false),
                    message_id = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    to = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false),
                    subject = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false),
                    body_text = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    body_html = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    status = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    attempts = table.Column<int>(type: "int", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    last_error = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    locked_by = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    locked_until = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "bookmarks",
                columns: table => new
                {
                    id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    instance_id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    activity_id = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    activity_instance_id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    kind = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    stimulus = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    due_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    payload_json = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_bookmarks", x => x.id);
                    table.ForeignKey(
                        name: "FK_bookmarks_instances_instance_id",
                        column: x => x.instance_id,
                        principalTable: "instances",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "timers",
                columns: table => new
                {
                    id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    instance_id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    bookmark_id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    due_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    status = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    fired_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    attempts = table.Column<int>(type: "int", nullable: false),
                    scheduled_job_id = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_timers", x => x.id);
                    table.ForeignKey(
                        name: "FK_timers_instances_instance_id",
                        column: x => x.instance_id,
                        principalTable: "instances",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_bookmarks_due_at",
                table: "bookmarks",
                column: "due_at");

            migrationBuilder.CreateIndex(
                name: "IX_bookmarks_instance_id",
                table: "bookmarks",
                column: "instance_id");

            migrationBuilder.CreateIndex(
                name: "IX_bookmarks_kind_stimulus",
                table: "bookmarks",
                columns: new[] { "kind", "stimulus" });

            migrationBuilder.CreateIndex(
                name: "IX_definitions_definition_id_version",
                table: "definitions",
                columns: new[] { "definition_id", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_instances_correlation_id",
                table: "instances",
                column: "correlation_id");

            migrationBuilder.CreateIndex(
                name: "IX_instances_definition_id_definition_version",
                table: "instances",
                columns: new[] { "definition_id", "definition_version" });

            migrationBuilder.CreateIndex(
                name: "IX_instances_status_sub_status",
                table: "instances",
                columns: new[] { "status", "sub_status" });

            migrationBuilder.CreateIndex(
                name: "IX_instances_updated_at",
                table: "instances",
                column: "updated_at");

            migrationBuilder.CreateIndex(
                name: "IX_journal_entries_instance_id",
                table: "journal_entries",
                column: "instance_id");

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_instance_id",
                table: "outbox_messages",
                column: "instance_id");

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_message_id",
                table: "outbox_messages",
                column: "message_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_status_next_attempt_at",
                table: "outbox_messages",
                columns: new[] { "status", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "IX_timers_bookmark_id",
                table: "timers",
                column: "bookmark_id");

            migrationBuilder.CreateIndex(
                name: "IX_timers_due_at",
                table: "timers",
                column: "due_at");

            migrationBuilder.CreateIndex(
                name: "IX_timers_instance_id",
                table: "timers",
                column: "instance_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "bookmarks");

            migrationBuilder.DropTable(
                name: "definitions");

            migrationBuilder.DropTable(
                name: "journal_entries");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "timers");

            migrationBuilder.DropTable(
                name: "instances");
        }
    }
}
