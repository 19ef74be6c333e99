using System.ComponentModel.DataAnnotations;

namespace PaperFeed.Data;

public enum DatabaseProvider { Sqlite, Postgres }

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Sqlite (embedded default, file in data/) or Postgres (production; needs ConnectionStrings:Catalog).</summary>
    [EnumDataType(typeof(DatabaseProvider))]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations at start. SQLite always does; PostgreSQL only when this is true.</summary>
    public bool MigrateOnStartup { get; set; }
}
