namespace ClassifSae.Results;

/// <summary>Upgrades a store from <c>ToVersion - 1</c> to <see cref="ToVersion"/>. Views are dropped before and recreated after, so Sql only touches tables.</summary>
internal sealed record SchemaMigration(int ToVersion, string Description, string Sql);
