using System.Text.Json.Nodes;
using Aggregator.Domain;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Aggregator.Api.Infrastructure.OpenApi;

/// <summary>
/// What the validators accept, in the contract, so that a client generated from it types its queries: the values of
/// the closed query parameters as enums (the metric catalogue's codes, the grouping dimensions an operation takes,
/// applicant columns, sectors, comparison, format, header labels, consistency rules) and the division prefix's pattern (required
/// parameters: <see cref="RequiredQueryFilter"/>).
/// </summary>
public sealed class QueryParameterFilter : IOperationFilter
{
    private static readonly Dictionary<string, IReadOnlyList<string>> Closed = new()
    {
        ["metric"] = MetricCatalogue.All.Select(m => m.Code).ToArray(),
        ["applicant"] = Applicants.All.Select(a => a.Key()).ToArray(),
        ["sector"] = SectorCatalogue.All.Select(s => s.Code).ToArray(),
        ["compare"] = ["previousYear"],
        ["format"] = ["json", "csv"],
        ["labels"] = ["codes", "zh"],
        ["rule"] = ConsistencyRules.Rules,
    };

    /// <summary>The dimensions each grouping operation takes (its validator's).</summary>
    private static readonly Dictionary<string, IReadOnlyList<Dimension>> GroupingsOf = new()
    {
        ["GetRollup"] = Dimensions.All,
        ["GetRollupCsv"] = Dimensions.All,
        ["GetCompleteness"] = Dimensions.Regional,
        ["GetCompletenessCsv"] = Dimensions.Regional,
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var name = operation.OperationId ?? "";
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Query) ?? [])
        {
            var values = parameter.Name == "groupBy" && GroupingsOf.TryGetValue(name, out var dimensions)
                ? dimensions.Select(d => d.Key()).ToArray()
                : Closed.GetValueOrDefault(parameter.Name!);
            if (values is not null && parameter.Schema is OpenApiSchema schema)
            {
                var target = schema.Type?.HasFlag(JsonSchemaType.Array) == true && schema.Items is OpenApiSchema items ? items : schema;
                target.Enum = values.Select(v => (JsonNode)JsonValue.Create(v)).ToList();
            }
            if (parameter.Name == "division" && parameter.Schema is OpenApiSchema division)
            {
                division.Pattern = "^[0-9]{2}([0-9]{2}([0-9]{2})?)?$";
            }
        }
    }
}
