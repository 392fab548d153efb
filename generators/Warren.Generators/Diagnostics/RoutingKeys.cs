using System.Collections.Immutable;
using System.Text;
using Warren.Generators.Model;

namespace Warren.Generators.Diagnostics;

/// <summary>One piece of a routing-key template as written: literal text, or the name between braces (trimmed, as the parser reads it).</summary>
internal readonly struct TemplatePart
{
    public TemplatePart(bool isProperty, string text)
    {
        IsProperty = isProperty;
        Text = text;
    }

    public bool IsProperty { get; }

    public string Text { get; }
}

/// <summary>
/// The rules routing and binding keys follow, for WARREN002, and the template split the generator's parser does, for
/// WARREN001. Each check returns why a key is invalid, or null.
/// </summary>
internal static class RoutingKeys
{
    /// <summary>AMQP short strings, which carry routing and binding keys, hold at most 255 bytes.</summary>
    public const int MaxBytes = 255;

    /// <summary>
    /// Splits <c>"{Facility}.{Severity}"</c> into literal and property parts exactly as the parser does. When a <c>{</c> is
    /// never closed, <paramref name="unclosedBrace"/> is its index and the parts stop before it; otherwise -1.
    /// </summary>
    public static ImmutableArray<TemplatePart> SplitTemplate(string template, out int unclosedBrace)
    {
        ImmutableArray<TemplatePart>.Builder parts = ImmutableArray.CreateBuilder<TemplatePart>();
        unclosedBrace = -1;
        int position = 0;
        while (position < template.Length)
        {
            int open = template.IndexOf('{', position);
            if (open < 0)
            {
                parts.Add(new TemplatePart(false, template.Substring(position)));
                break;
            }

            if (open > position)
            {
                parts.Add(new TemplatePart(false, template.Substring(position, open - position)));
            }

            int close = template.IndexOf('}', open + 1);
            if (close < 0)
            {
                unclosedBrace = open;
                break;
            }

            parts.Add(new TemplatePart(true, template.Substring(open + 1, close - open - 1).Trim()));
            position = close + 1;
        }

        return parts.ToImmutable();
    }

    /// <summary>
    /// Why the fixed parts of a routing-key template make an invalid routing key for an exchange of <paramref name="kind"/>
    /// (too long, a wildcard, an empty topic word), or null. Property values are unknown at compile time: each counts as
    /// one non-empty word.
    /// </summary>
    public static string? ValidateTemplate(ImmutableArray<TemplatePart> parts, ExchangeKindSpec kind)
    {
        int literalBytes = 0;
        var shape = new StringBuilder();
        foreach (TemplatePart part in parts)
        {
            if (part.IsProperty)
            {
                shape.Append('x');
                continue;
            }

            literalBytes += Encoding.UTF8.GetByteCount(part.Text);
            shape.Append(part.Text);
            int wildcard = part.Text.IndexOfAny(Wildcards);
            if (wildcard >= 0)
            {
                return $"'{part.Text[wildcard]}' is a wildcard of binding keys, and a routing key never contains one: it has no meaning in a routing key, so the message would be published with a literal '{part.Text[wildcard]}' in its key. Put patterns in a consumer's [Bind], not in the message's routing key";
            }
        }

        if (literalBytes > MaxBytes)
        {
            return $"its fixed text alone is {literalBytes} bytes in UTF-8, and AMQP carries at most {MaxBytes}; every publish would throw";
        }

        return kind == ExchangeKindSpec.Topic ? EmptyWord(shape.ToString()) : null;
    }

    /// <summary>Why <paramref name="key"/> is not a valid binding key for an exchange of <paramref name="kind"/>, or null.</summary>
    public static string? ValidateBindingKey(string key, ExchangeKindSpec kind)
    {
        int bytes = Encoding.UTF8.GetByteCount(key);
        if (bytes > MaxBytes)
        {
            return $"it is {bytes} bytes in UTF-8, and AMQP carries at most {MaxBytes}; the subscription could not send its queue.bind";
        }

        if (kind == ExchangeKindSpec.Direct)
        {
            int wildcard = key.IndexOfAny(Wildcards);
            return wildcard < 0
                ? null
                : $"a direct exchange compares binding and routing keys for equality, so '{key[wildcard]}' is no wildcard there and the binding matches nothing Warren publishes. Use an exact key, or a [Topic] message for patterns";
        }

        if (kind != ExchangeKindSpec.Topic)
        {
            return null;
        }

        if (EmptyWord(key) is { } emptyWord)
        {
            return emptyWord;
        }

        foreach (string word in key.Split('.'))
        {
            if (word is not ("*" or "#") && word.IndexOfAny(Wildcards) >= 0)
            {
                return $"the word '{word}' mixes a wildcard with other characters; '*' and '#' match only as whole words ('a.*', not 'a*'), so RabbitMQ takes it literally and the binding silently matches nothing";
            }
        }

        return null;
    }

    private static readonly char[] Wildcards = ['*', '#'];

    /// <summary>Why a topic key has an empty word (a leading, trailing or doubled dot), or null. The empty key has no words and is fine.</summary>
    private static string? EmptyWord(string key)
    {
        if (key.Length == 0)
        {
            return null;
        }

        string[] words = key.Split('.');
        for (int i = 0; i < words.Length; i++)
        {
            if (words[i].Length == 0)
            {
                string where = i == 0 ? "it starts with a dot" : i == words.Length - 1 ? "it ends with a dot" : "it has two dots in a row";
                return $"{where}, which makes an empty word; topic keys are words separated by single dots";
            }
        }

        return null;
    }

    /// <summary>The exchange kind as RabbitMQ spells it.</summary>
    public static string KindName(ExchangeKindSpec kind) => kind switch
    {
        ExchangeKindSpec.Direct => "direct",
        ExchangeKindSpec.Topic => "topic",
        ExchangeKindSpec.Fanout => "fanout",
        ExchangeKindSpec.Headers => "headers",
        _ => "queue",
    };
}
