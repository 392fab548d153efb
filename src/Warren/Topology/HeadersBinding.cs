using System;
using System.Collections.Generic;

namespace Warren;

/// <summary>A binding to a headers exchange: the headers to match and whether all or any must match.</summary>
public sealed class HeadersBinding
{
    /// <param name="match">Whether all or any of the headers must match.</param>
    /// <param name="headers">Header names and the values they must have.</param>
    public HeadersBinding(HeadersMatch match, IReadOnlyDictionary<string, string> headers)
    {
        Match = match;
        Headers = headers ?? throw new ArgumentNullException(nameof(headers));
    }

    /// <summary>Whether all or any of the headers must match.</summary>
    public HeadersMatch Match { get; }

    /// <summary>Header names and the values they must have.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>Builds a binding from alternating names and values, as <see cref="BindHeadersAttribute"/> takes them.</summary>
    public static HeadersBinding FromPairs(HeadersMatch match, params string[] namesAndValues)
    {
        ArgumentNullException.ThrowIfNull(namesAndValues);
        if (namesAndValues.Length % 2 != 0)
        {
            throw new ArgumentException("Header names and values must come in pairs.", nameof(namesAndValues));
        }

        var headers = new Dictionary<string, string>(namesAndValues.Length / 2, StringComparer.Ordinal);
        for (int i = 0; i < namesAndValues.Length; i += 2)
        {
            headers[namesAndValues[i]] = namesAndValues[i + 1];
        }

        return new HeadersBinding(match, headers);
    }

    /// <summary>The binding arguments as sent in <c>queue.bind</c>: the headers plus <c>x-match</c>.</summary>
    internal Dictionary<string, object?> ToArguments()
    {
        var arguments = new Dictionary<string, object?>(Headers.Count + 1, StringComparer.Ordinal)
        {
            ["x-match"] = Match == HeadersMatch.All ? "all" : "any",
        };
        foreach (KeyValuePair<string, string> header in Headers)
        {
            arguments[header.Key] = header.Value;
        }

        return arguments;
    }
}
