using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Aggregator.Api.Infrastructure.OpenApi;

/// <summary>
/// A query parameter marked <see cref="RequiredAttribute"/> — on the handler's parameter, or on the constructor parameter
/// of its <c>[AsParameters]</c> record — is required in the document. Such parameters are bound as nullable so that
/// their validator, not binding, says what is missing (a 400 naming it); the document must still say that a request
/// without them is not valid (the fuzz run found requests valid by the document refused for want of them).
/// </summary>
public sealed class RequiredQueryFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<MethodInfo>().FirstOrDefault() is not { } handler)
        {
            return;
        }
        var required = handler.GetParameters()
            .SelectMany(p => p.GetCustomAttribute<AsParametersAttribute>() is null
                ? [p]
                : p.ParameterType.GetConstructors().MaxBy(c => c.GetParameters().Length)?.GetParameters() ?? [])
            .Where(p => p.GetCustomAttribute<RequiredAttribute>() is not null)
            .Select(p => p.GetCustomAttributes().OfType<IFromQueryMetadata>().FirstOrDefault()?.Name ?? p.Name)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Query && required.Contains(p.Name!)) ?? [])
        {
            parameter.Required = true;
        }
    }
}
