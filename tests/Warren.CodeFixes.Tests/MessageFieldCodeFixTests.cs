using System.Threading.Tasks;
using Xunit;
using Verify = Warren.CodeFixes.Tests.CodeFixVerifier<
    Warren.Generators.Diagnostics.Analyzers.MessageMembersAnalyzer,
    Warren.CodeFixes.MessageFieldCodeFixProvider>;

namespace Warren.CodeFixes.Tests;

/// <summary>WARREN020: a public field on a message made a property, or marked [JsonInclude].</summary>
public sealed class MessageFieldCodeFixTests
{
    [Fact]
    public Task Field_becomes_an_auto_property() => Verify.VerifyAsync(
        Verify.Usings + """
        [Queue("orders")]
        public sealed class Order
        {
            public string Id { get; init; } = "";
            /// <summary>How many.</summary>
            public int {|WARREN020:Quantity|};
        }
        """,
        Verify.Usings + """
        [Queue("orders")]
        public sealed class Order
        {
            public string Id { get; init; } = "";
            /// <summary>How many.</summary>
            public int Quantity { get; set; }
        }
        """,
        equivalenceKey: "WARREN020:Property");

    [Fact]
    public Task Readonly_field_becomes_an_init_property_and_keeps_its_initializer() => Verify.VerifyAsync(
        Verify.Usings + """
        [Queue("orders")]
        public sealed class Order
        {
            [JsonPropertyName("qty")]
            public readonly int {|WARREN020:Quantity|} = 1;
        }
        """,
        Verify.Usings + """
        [Queue("orders")]
        public sealed class Order
        {
            [JsonPropertyName("qty")]
            public int Quantity { get; init; } = 1;
        }
        """,
        equivalenceKey: "WARREN020:Property");

    [Fact]
    public Task Field_is_marked_JsonInclude() => Verify.VerifyAsync(
        Verify.Usings + """
        [Queue("orders")]
        public sealed class Order
        {
            public int {|WARREN020:Quantity|};
        }
        """,
        Verify.Usings + """
        [Queue("orders")]
        public sealed class Order
        {
            [JsonInclude]
            public int Quantity;
        }
        """,
        equivalenceKey: "WARREN020:JsonInclude");

    [Fact]
    public Task JsonInclude_brings_its_using_when_the_file_has_none() => Verify.VerifyAsync(
        """
        using Warren;

        [Queue("orders")]
        public sealed class Order
        {
            public int {|WARREN020:Quantity|};
        }
        """,
        """
        using System.Text.Json.Serialization;
        using Warren;

        [Queue("orders")]
        public sealed class Order
        {
            [JsonInclude]
            public int Quantity;
        }
        """,
        equivalenceKey: "WARREN020:JsonInclude");

    [Fact]
    public Task Fix_all_turns_every_field_into_a_property_one_per_variable() => Verify.VerifyAsync(
        Verify.Usings + """
        [Queue("orders")]
        public sealed class Order
        {
            public string {|WARREN020:Id|} = "";
            public int {|WARREN020:Quantity|}, {|WARREN020:Price|};
        }

        [Queue("invoices")]
        public sealed class Invoice
        {
            public decimal {|WARREN020:Total|};
        }
        """,
        Verify.Usings + """
        [Queue("orders")]
        public sealed class Order
        {
            public string Id { get; set; } = "";
            public int Quantity { get; set; }
            public int Price { get; set; }
        }

        [Queue("invoices")]
        public sealed class Invoice
        {
            public decimal Total { get; set; }
        }
        """,
        equivalenceKey: "WARREN020:Property");

    [Fact]
    public Task Field_inherited_from_a_base_class_gets_no_fix_on_the_message() => Verify.VerifyNoFixAsync(
        Verify.Usings + """
        public class OrderBase { public int Quantity; }
        [Queue("orders")] public sealed class {|WARREN020:Order|} : OrderBase { }
        """);
}
