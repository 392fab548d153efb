using System;
using System.Collections.Generic;
using System.Text;

namespace Warren.Testing.Routing;

/// <summary>
/// RabbitMQ's headers exchange matching for <c>x-match: all</c> and <c>any</c>: binding arguments whose names start with
/// <c>x-</c> are ignored; <c>all</c> needs every other binding header present with an equal value (so a binding with none
/// matches every message), <c>any</c> at least one. Values are compared with their types, as the broker does: a binding's
/// string matches a header holding that string (or its UTF-8 bytes, as a client reads it back), never a number.
/// </summary>
public static class HeadersMatcher
{
    /// <summary>True when a message with <paramref name="headers"/> reaches <paramref name="binding"/>.</summary>
    public static bool Matches(HeadersBinding binding, IDictionary<string, object?>? headers)
    {
        ArgumentNullException.ThrowIfNull(binding);
        bool all = true;
        bool any = false;
        foreach (KeyValuePair<string, string> expected in binding.Headers)
        {
            if (expected.Key.StartsWith("x-", StringComparison.Ordinal))
            {
                continue;
            }

            bool equal = headers is not null && headers.TryGetValue(expected.Key, out object? actual) && SameString(actual, expected.Value);
            all &= equal;
            any |= equal;
        }

        return binding.Match == HeadersMatch.All ? all : any;
    }

    private static bool SameString(object? actual, string expected) => actual switch
    {
        string text => string.Equals(text, expected, StringComparison.Ordinal),
        byte[] bytes => bytes.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(expected)),
        _ => false,
    };
}
