using System.Collections.Concurrent;
using System.Reflection;
using Aggregator.Api.Infrastructure.Problems;
using Microsoft.AspNetCore.Http.Metadata;

namespace Aggregator.Api.Infrastructure;

/// <summary>
/// A query parameter that takes one value, given twice (<c>submit=true&amp;submit=true</c>, <c>agency=A&amp;agency=B</c>),
/// is a 400 naming it — not a binding failure nobody records, nor the values joined into "A,B". List parameters
/// (bound as arrays: <c>metric</c>, <c>groupBy</c>) take repeats as before. Which parameters take one value is read off the
/// endpoint's handler (its parameters, and the properties of its <c>[AsParameters]</c> records) once per endpoint. Runs
/// after the audit, so a refused write is on record.
/// </summary>
public static class SingleValuedQuery
{
    private static readonly ConcurrentDictionary<Endpoint, IReadOnlySet<string>> Cache = new();

    public static IApplicationBuilder UseSingleValuedQuery(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (http.GetEndpoint() is { } endpoint && http.Request.Query.Any(q => q.Value.Count > 1))
            {
                var single = Cache.GetOrAdd(endpoint, Of);
                var repeated = http.Request.Query.Where(q => q.Value.Count > 1 && single.Contains(q.Key)).ToArray();
                if (repeated.Length > 0)
                {
                    throw new InputException(repeated.ToDictionary(q => q.Key,
                        q => new[] { $"Give {q.Key} once: it takes one value, and the query has {q.Value.Count}." }));
                }
            }
            await next(http);
        });

    /// <summary>The names (case-insensitive) of the query parameters of <paramref name="endpoint"/> that take one value.</summary>
    public static IReadOnlySet<string> Of(Endpoint endpoint)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (endpoint.Metadata.GetMetadata<MethodInfo>() is not { } handler)
        {
            return names;
        }
        var route = (endpoint as RouteEndpoint)?.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
        foreach (var parameter in handler.GetParameters())
        {
            if (parameter.GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                var constructor = parameter.ParameterType.GetConstructors().MaxBy(c => c.GetParameters().Length);
                foreach (var member in constructor?.GetParameters() ?? [])
                {
                    var property = parameter.ParameterType.GetProperty(member.Name!, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
                    Add(names, route, member.Name!, member.ParameterType, [.. member.GetCustomAttributes(), .. property?.GetCustomAttributes() ?? []]);
                }
            }
            else
            {
                Add(names, route, parameter.Name!, parameter.ParameterType, parameter.GetCustomAttributes());
            }
        }
        return names;
    }

    private static void Add(HashSet<string> names, HashSet<string> route, string name, Type type, IEnumerable<Attribute> attributes)
    {
        var attributeList = attributes.ToList();
        if (!IsSingleValue(type))
        {
            return;
        }
        if (attributeList.OfType<IFromQueryMetadata>().FirstOrDefault() is { } fromQuery)
        {
            names.Add(fromQuery.Name ?? name);
        }
        else if (!attributeList.Any(a => a is IFromRouteMetadata or IFromHeaderMetadata or IFromBodyMetadata or IFromServiceMetadata or IFromFormMetadata)
                 && !route.Contains(name))
        {
            names.Add(name); // a simple type with no source named binds from the query
        }
    }

    private static bool IsSingleValue(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(string) || t.IsPrimitive || t.IsEnum || t == typeof(decimal) || t == typeof(Guid) || t == typeof(DateTime)
               || t == typeof(DateTimeOffset) || t == typeof(DateOnly) || t == typeof(TimeOnly) || t == typeof(TimeSpan);
    }
}
