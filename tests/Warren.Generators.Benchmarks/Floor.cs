using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Warren.Generators.Benchmarks;

/// <summary>
/// The floor under any generator built on ForAttributeWithMetadataName with Warren's attributes: the same lookups with a
/// transform that only reads the symbol's name, and nothing emitted. Roslyn re-binds every attributed declaration and
/// re-runs the transform on every compilation change (only the syntactic pass is cached per file), so an unrelated
/// edit costs at least this much.
/// </summary>
[Generator(LanguageNames.CSharp)]
internal sealed class AttributeLookupFloor : IIncrementalGenerator
{
    private static readonly string[] s_attributes =
    [
        "Warren.QueueAttribute", "Warren.FanoutAttribute", "Warren.DirectAttribute", "Warren.TopicAttribute", "Warren.HeadersAttribute",
        "Warren.ConsumerAttribute", "Warren.RpcServiceAttribute", "System.Text.Json.Serialization.JsonSerializableAttribute",
    ];

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        foreach (string attribute in s_attributes)
        {
            IncrementalValueProvider<ImmutableArray<string>> names = context.SyntaxProvider
                .ForAttributeWithMetadataName(attribute, static (_, _) => true, static (ctx, _) => ctx.TargetSymbol.Name)
                .WithTrackingName("Names")
                .Collect();
            context.RegisterSourceOutput(names, static (_, _) => { });
        }
    }
}
