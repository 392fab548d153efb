using System;

namespace Warren;

/// <summary>
/// Gives a message type a stable name on the wire: the AMQP <c>type</c> property of what it publishes, and what its
/// consumers accept. Without it the name is the type's CLR full name (<c>Shop.Orders.OrderPlaced</c>), so renaming the
/// type or its namespace would change the contract; with it the CLR type can move freely.
/// </summary>
/// <example><c>[Message("orders.placed", Aliases = new[] { "Shop.OrderPlaced" })]</c></example>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class MessageAttribute : Attribute
{
    /// <param name="name">
    /// The wire name: not empty, no whitespace or control characters, at most 255 UTF-8 bytes (an AMQP short string);
    /// unique among the compilation's messages (errors WARREN017 and WARREN018).
    /// </param>
    public MessageAttribute(string name) => Name = name;

    /// <summary>The wire name: the <c>type</c> property Warren publishes with.</summary>
    public string Name { get; }

    /// <summary>
    /// Older names consumers still accept, such as the CLR full name used before the type had a <see cref="MessageAttribute"/>,
    /// so that messages published by not-yet-upgraded senders are not dead-lettered. Warren never publishes with an alias.
    /// </summary>
    public string[]? Aliases { get; set; }
}
