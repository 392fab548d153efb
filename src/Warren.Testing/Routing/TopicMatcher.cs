using System;

namespace Warren.Testing.Routing;

/// <summary>
/// RabbitMQ's topic matching: keys are split into words on '.', <c>*</c> in a binding key stands for exactly one word and
/// <c>#</c> for zero or more. An empty key has no words (so only <c>#</c> and the empty binding key match it); empty words
/// count (<c>"a..b"</c> has three), as the broker splits them.
/// </summary>
public static class TopicMatcher
{
    /// <summary>True when a message published with <paramref name="routingKey"/> reaches a binding with <paramref name="bindingKey"/>.</summary>
    public static bool Matches(string bindingKey, string routingKey)
    {
        ArgumentNullException.ThrowIfNull(bindingKey);
        ArgumentNullException.ThrowIfNull(routingKey);
        string[] pattern = Words(bindingKey);
        string[] words = Words(routingKey);

        // matched[j]: the pattern's first i words match the key's first j words. One row per pattern word, so a binding
        // with many '#' costs pattern × key steps rather than backtracking.
        var matched = new bool[words.Length + 1];
        matched[0] = true;
        foreach (string part in pattern)
        {
            var next = new bool[words.Length + 1];
            for (int j = 0; j <= words.Length; j++)
            {
                next[j] = part switch
                {
                    "#" => matched[j] || (j > 0 && next[j - 1]),
                    "*" => j > 0 && matched[j - 1],
                    _ => j > 0 && matched[j - 1] && string.Equals(part, words[j - 1], StringComparison.Ordinal),
                };
            }

            matched = next;
        }

        return matched[words.Length];
    }

    /// <summary>The broker's split: no words for the empty key, else every piece between dots, empty ones included.</summary>
    private static string[] Words(string key) => key.Length == 0 ? [] : key.Split('.');
}
