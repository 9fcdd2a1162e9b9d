using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workflows.Persistence.Migrations.Sqlite
{
    /// <summary>
    /// Hand-written, SQLite only, no model change: rebuilds two tables so that a resume writes fewer pages.
    /// <list type="bullet">
    /// <item><c>bookmarks</c> becomes a WITHOUT ROWID table: the rows live in the primary key's b-tree, so adding or
    /// removing a bookmark no longer writes a separate index of the id as well.</item>
    /// <item><c>journal_entries.id</c> becomes a plain rowid instead of AUTOINCREMENT: AUTOINCREMENT only keeps the ids of
    /// deleted rows from coming back (journal rows are never deleted) and writes <c>sqlite_sequence</c> in every
    /// transaction that appends to the journal. Ids still grow with every row.</item>
    /// </list>
    /// EF's model cannot express either, so EF would undo them if a later migration made it rebuild one of these tables
    /// (e.g. dropping or altering a column): that costs speed, not correctness. See src/Persistence/README.md.
    /// </summary>
    public partial class SqliteLeanerTables : Migration
    {
        private const string BookmarkColumns =
            "\"id\", \"instance_id\", \"activity_id\", \"activity_instance_id\", \"kind\", \"stimulus\", \"due_at\", \"payload_json\", \"created_at\"";
        private const string JournalColumns =
            "\"id\", \"instance_id\", \"activity_id\", \"event\", \"actor\", \"at\", \"summary\", \"data_json\", \"remote_address\", \"client\"";

        protected override void Up(MigrationBuilder migrationBuilder)
        {
            RebuildBookmarks(migrationBuilder, withoutRowid: true);
            RebuildJournal(migrationBuilder, autoincrement: false);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            RebuildJournal(migrationBuilder, autoincrement: true);
            RebuildBookmarks(migrationBuilder, withoutRowid: false);
        }

        // No table references bookmarks or journal_entries, so both can be dropped and renamed with foreign keys on.
        private static void RebuildBookmarks(MigrationBuilder b, bool withoutRowid)
        {
            b.Sql($"""
                CREATE TABLE "ef_temp_bookmarks" (
                    "id" TEXT NOT NULL CONSTRAINT "PK_bookmarks" PRIMARY KEY,
                    "instance_id" TEXT NOT NULL,
                    "activity_id" TEXT NOT NULL,
                    "activity_instance_id" TEXT NOT NULL,
                    "kind" TEXT NOT NULL,
                    "stimulus" TEXT NULL,
                    "due_at" INTEGER NULL,
                    "payload_json" TEXT NULL,
                    "created_at" INTEGER NOT NULL,
                    CONSTRAINT "FK_bookmarks_instances_instance_id" FOREIGN KEY ("instance_id") REFERENCES "instances" ("id") ON DELETE CASCADE
                ){(withoutRowid ? " WITHOUT ROWID" : "")};
                """);
            b.Sql($"INSERT INTO \"ef_temp_bookmarks\" ({BookmarkColumns}) SELECT {BookmarkColumns} FROM \"bookmarks\";");
            b.Sql("DROP TABLE \"bookmarks\";");
            b.Sql("ALTER TABLE \"ef_temp_bookmarks\" RENAME TO \"bookmarks\";");
            b.Sql("CREATE INDEX \"IX_bookmarks_instance_id\" ON \"bookmarks\" (\"instance_id\");");
            b.Sql("CREATE INDEX \"IX_bookmarks_kind_stimulus\" ON \"bookmarks\" (\"kind\", \"stimulus\");");
        }

        private static void RebuildJournal(MigrationBuilder b, bool autoincrement)
        {
            b.Sql($"""
                CREATE TABLE "ef_temp_journal_entries" (
                    "id" INTEGER NOT NULL CONSTRAINT "PK_journal_entries" PRIMARY KEY{(autoincrement ? " AUTOINCREMENT" : "")},
                    "instance_id" TEXT NOT NULL,
                    "activity_id" TEXT NULL,
                    "event" TEXT NOT NULL,
                    "actor" TEXT NULL,
                    "at" INTEGER NOT NULL,
                    "summary" TEXT NULL,
                    "data_json" TEXT NULL,
                    "remote_address" TEXT NULL,
                    "client" TEXT NULL
                );
                """);
            b.Sql($"INSERT INTO \"ef_temp_journal_entries\" ({JournalColumns}) SELECT {JournalColumns} FROM \"journal_entries\";");
            b.Sql("DROP TABLE \"journal_entries\";");
            b.Sql("ALTER TABLE \"ef_temp_journal_entries\" RENAME TO \"journal_entries\";");
            b.Sql("CREATE INDEX \"IX_journal_entries_instance_id\" ON \"journal_entries\" (\"instance_id\");");
        }
    }
}
