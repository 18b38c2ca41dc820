using Npgsql;

namespace Aggregator.Api.Data;

/// <summary>An audit record as one statement, for the writes that put it in their own commit.</summary>
public static class AuditRecords
{
    public static NpgsqlBatchCommand Insert(AuditEvent record)
    {
        var command = new NpgsqlBatchCommand("""
            INSERT INTO audit_events (at, key_id, role, client_address, action, method, path, agency_code, year, revision, status, outcome, detail)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            """);
        foreach (var value in new object?[]
                 {
                     record.At, record.KeyId, record.Role, record.ClientAddress, record.Action, record.Method, record.Path, record.AgencyCode,
                     record.Year, record.Revision, record.Status, record.Outcome, record.Detail,
                 })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
        return command;
    }
}
