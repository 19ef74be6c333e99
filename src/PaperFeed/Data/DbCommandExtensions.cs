using System.Data.Common;

namespace PaperFeed.Data;

/// <summary>Parameters of the few commands written by hand (search estimates, digest recording and stamping).</summary>
public static class DbCommandExtensions
{
    /// <summary>Adds a parameter (positional when <paramref name="name"/> is null; null values as DBNull).</summary>
    public static DbParameter AddParameter(this DbCommand command, string? name, object? value)
    {
        var parameter = command.CreateParameter();
        if (name is not null) parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
