using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Warren.Generators.Benchmarks;

/// <summary>
/// The synthetic project: message records spread evenly over the five routing kinds, one consumer per message with
/// bindings, RPC services of three methods each, one <c>JsonSerializerContext</c> listing every message, and files that
/// have nothing to do with messaging, one of which is the file the "unrelated edit" changes. Messages, consumers and
/// services live in files of ten, as a project's folders would hold them.
/// </summary>
internal sealed class Workload
{
    public const string UnrelatedFileToEdit = "Domain/Pricing0.cs";

    private const int PerFile = 10;
    private const int UnrelatedFiles = 20;

    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Latest);

    private Workload(int messages, int services, IReadOnlyList<SyntaxTree> trees)
    {
        Messages = messages;
        Services = services;
        Trees = trees;
    }

    public int Messages { get; }

    public int Consumers => Messages;

    public int Services { get; }

    public IReadOnlyList<SyntaxTree> Trees { get; }

    public static CSharpParseOptions ParseOptions => s_parseOptions;

    public SyntaxTree FileToEdit => Trees.Single(t => t.FilePath == UnrelatedFileToEdit);

    public static Workload Create(int messages, int services)
    {
        var trees = new List<SyntaxTree>();
        for (int first = 0; first < messages; first += PerFile)
        {
            int count = System.Math.Min(PerFile, messages - first);
            trees.Add(Parse(MessagesFile(first, count), $"Messages/Messages{first / PerFile}.cs"));
            trees.Add(Parse(ConsumersFile(first, count), $"Consumers/Consumers{first / PerFile}.cs"));
        }
        for (int first = 0; first < services; first += PerFile)
        {
            trees.Add(Parse(ServicesFile(first, System.Math.Min(PerFile, services - first), messages), $"Services/Services{first / PerFile}.cs"));
        }
        trees.Add(Parse(JsonContextFile(messages), "Serialization/BenchJsonContext.cs"));
        for (int i = 0; i < UnrelatedFiles; i++)
        {
            trees.Add(Parse(UnrelatedFile(i, edit: 0), $"Domain/Pricing{i}.cs"));
        }
        return new Workload(messages, services, trees);
    }

    /// <summary>The unrelated file after its <paramref name="edit"/>-th edit: a changed method body, as typing does.</summary>
    public static SyntaxTree EditedUnrelatedFile(int edit) => Parse(UnrelatedFile(0, edit), UnrelatedFileToEdit);

    private static SyntaxTree Parse(string source, string path) => CSharpSyntaxTree.ParseText(source, s_parseOptions, path, Encoding.UTF8);

    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Text.Json.Serialization;
        using System.Threading;
        using System.Threading.Tasks;
        using Warren;

        """;

    private static string MessagesFile(int first, int count)
    {
        var source = new StringBuilder(Usings).Append("namespace Bench.Messages;\n\n");
        for (int i = first; i < first + count; i++)
        {
            string attribute = (i % 5) switch
            {
                0 => $"[Queue(\"bench.queue{i}\")]",
                1 => $"[Fanout(\"bench.fanout{i}\")]",
                2 => $"[Direct(\"bench.direct{i}\", RoutingKey = \"{{Region}}\")]",
                3 => $"[Topic(\"bench.topic{i}\", RoutingKey = \"{{Region}}.{{Kind}}.{{Priority}}\")]",
                _ => $"[Headers(\"bench.headers{i}\"), Durable]",
            };
            string header = i % 5 == 4 ? "[property: Header(\"region\")] " : string.Empty;
            source.Append(CultureInfo.InvariantCulture, $$"""
                /// <summary>Message {{i}}.</summary>
                {{attribute}}
                public sealed record Message{{i}}({{header}}string Region, string Kind, int Priority, decimal Amount, DateTimeOffset At, IReadOnlyList<string> Tags)
                {
                    public string Describe() => $"{Region}/{Kind}: {Amount}";
                }


                """);
        }
        return source.ToString();
    }

    private static string ConsumersFile(int first, int count)
    {
        var source = new StringBuilder(Usings).Append("using Bench.Messages;\n\nnamespace Bench.Consumers;\n\n");
        for (int i = first; i < first + count; i++)
        {
            string attributes = (i % 5) switch
            {
                0 => "[Consumer(Prefetch = 1)]",
                1 => $"[Consumer(Queue = \"bench.fanout{i}.audit\")]",
                2 => $"[Consumer(Queue = \"bench.direct{i}.eu\"), Bind(\"eu\"), Bind(\"us\")]",
                3 => $"[Consumer, Bind(\"eu.*.1\"), Bind(\"#.refund.#\")]",
                _ => $"[Consumer, BindHeaders(HeadersMatch.All, \"region\", \"eu\"), BindHeaders(HeadersMatch.Any, \"region\", \"us\")]",
            };
            source.Append(CultureInfo.InvariantCulture, $$"""
                {{attributes}}
                public sealed class Consumer{{i}} : IConsumer<Message{{i}}>
                {
                    public int Handled { get; private set; }

                    public ValueTask HandleAsync(Message{{i}} message, MessageContext context, CancellationToken cancellationToken)
                    {
                        Handled++;
                        return ValueTask.CompletedTask;
                    }
                }


                """);
        }
        return source.ToString();
    }

    private static string ServicesFile(int first, int count, int messages)
    {
        var source = new StringBuilder(Usings).Append("using Bench.Messages;\n\nnamespace Bench.Services;\n\n");
        for (int s = first; s < first + count; s++)
        {
            int a = s * 7 % messages;
            int b = (s * 7 + 1) % messages;
            source.Append(CultureInfo.InvariantCulture, $$"""
                [RpcService("bench.rpc{{s}}")]
                public interface IService{{s}}
                {
                    [RpcMethod]
                    Task<Message{{a}}?> GetAsync(int id, CancellationToken cancellationToken = default);

                    [RpcMethod("put")]
                    Task PutAsync(Message{{b}} item, string reason, CancellationToken cancellationToken = default);

                    [RpcMethod]
                    ValueTask<IReadOnlyList<long>> CountAsync(string filter, int limit);
                }


                """);
        }
        return source.ToString();
    }

    private static string JsonContextFile(int messages)
    {
        var source = new StringBuilder("using System.Text.Json.Serialization;\nusing Bench.Messages;\n\nnamespace Bench.Serialization;\n\n");
        for (int i = 0; i < messages; i++)
        {
            source.Append(CultureInfo.InvariantCulture, $"[JsonSerializable(typeof(Message{i}))]\n");
        }
        source.Append("internal sealed partial class BenchJsonContext : JsonSerializerContext\n{\n}\n");
        return source.ToString();
    }

    private static string UnrelatedFile(int i, int edit) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Linq;

        namespace Bench.Domain;

        public sealed class Pricing{{i}}
        {
            private readonly Dictionary<string, decimal> _rates = new(StringComparer.Ordinal);

            public void SetRate(string region, decimal rate) => _rates[region] = rate;

            public decimal Price(string region, decimal amount)
            {
                decimal rate = _rates.TryGetValue(region, out decimal found) ? found : 1m;
                return Math.Round(amount * rate + {{edit}}m, 2);
            }

            public IReadOnlyList<string> Regions() => _rates.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
        }
        """;
}
