using System.Text.Json.Nodes;
using Aggregator.Domain;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Aggregator.Api.Infrastructure.OpenApi;

/// <summary>
/// Describes <see cref="ReportDocument"/> exactly, from the same metric catalogue the reader checks against: one
/// schema per edition (every field required, blank as null, nothing else allowed), chosen by <c>edition</c>.
/// </summary>
public sealed class ReportDocumentSchemas : IDocumentFilter
{
    private const string Document = "ReportDocument";
    private const string ApplicantRow = "ApplicantCounts";

    /// <summary>What stands for <see cref="ReportDocument"/> wherever an operation uses it (see MapType in Program).</summary>
    public static IOpenApiSchema Reference() => new OpenApiSchemaReference(Document);

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        context.SchemaRepository.AddDefinition(ApplicantRow, ApplicantCounts());
        var editions = new List<IOpenApiSchema>();
        foreach (var edition in Editions.All)
        {
            var name = $"{Document}{edition.Code()}";
            context.SchemaRepository.AddDefinition(name, EditionSchema(edition));
            editions.Add(new OpenApiSchemaReference(name));
        }
        context.SchemaRepository.AddDefinition(Document, new OpenApiSchema
        {
            OneOf = editions,
            Discriminator = new OpenApiDiscriminator { PropertyName = "edition" },
            Description = "The report document of either template edition; agency and year are in the address. A blank cell is null, never omitted.",
        });
    }

    private static OpenApiSchema EditionSchema(Edition edition)
    {
        var schema = Group(ReportDocumentJson.Shape(edition), MetricCatalogue.GroupLabels);
        schema.Description = $"The report document, template edition {edition.Code()}.";
        schema.Properties!["edition"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(edition.Code())] };
        schema.Required!.Add("edition");
        foreach (var (field, label) in new[] { ("overview", "一、总体情况"), ("problems", "五、存在的主要问题及改进情况"), ("otherMatters", "六、其他需要报告的事项") })
        {
            schema.Properties[field] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = label };
        }
        return schema;
    }

    private static OpenApiSchema Group(IReadOnlyDictionary<string, object> shape, IReadOnlyDictionary<string, string> labels, string prefix = "")
    {
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>(),
            Required = new HashSet<string>(),
            AdditionalPropertiesAllowed = false,
        };
        if (labels.TryGetValue(prefix.TrimEnd('.'), out var label))
        {
            schema.Description = label;
        }
        foreach (var (name, child) in shape)
        {
            schema.Required.Add(name);
            schema.Properties[name] = child switch
            {
                Metric { HasApplicants: true } row => new OpenApiSchemaReference(ApplicantRow),
                Metric metric => Cell(metric),
                IReadOnlyDictionary<string, object> group => Group(group, labels, $"{prefix}{name}."),
                _ => throw new InvalidOperationException(),
            };
        }
        return schema;
    }

    private static OpenApiSchema Cell(Metric metric) => new()
    {
        Type = (metric.Unit == MetricUnit.Count ? JsonSchemaType.Integer : JsonSchemaType.Number) | JsonSchemaType.Null,
        Format = metric.Unit == MetricUnit.Count ? "int64" : "decimal",
        Minimum = metric.MayBeNegative ? null : "0",
        Description = metric.Unit == MetricUnit.WanYuan ? $"{metric.Label} (万元, up to 6 decimals)" : metric.Label,
    };

    private static OpenApiSchema ApplicantCounts()
    {
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "One row of part 三: a count per applicant column (null = blank).",
            Properties = new Dictionary<string, IOpenApiSchema>(),
            Required = new HashSet<string>(),
            AdditionalPropertiesAllowed = false,
        };
        foreach (var applicant in Applicants.All)
        {
            schema.Required.Add(applicant.Key());
            schema.Properties[applicant.Key()] = new OpenApiSchema
            {
                Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int64", Minimum = "0", Description = applicant.Label(),
            };
        }
        return schema;
    }
}
