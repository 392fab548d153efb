using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Xunit;

namespace Warren.IntegrationTests.Telemetry;

/// <summary>Assertions on the shape of a trace: who is whose parent, what links where, which tags and events a span has.</summary>
public static class TraceAssert
{
    /// <summary><paramref name="child"/> is in <paramref name="parent"/>'s trace, directly under it.</summary>
    public static void ChildOf(Activity parent, Activity child)
    {
        Assert.Equal(parent.TraceId, child.TraceId);
        Assert.Equal(parent.SpanId, child.ParentSpanId);
    }

    /// <summary><paramref name="span"/> has exactly one link, to <paramref name="target"/>'s context.</summary>
    public static void LinkedTo(Activity span, ActivityTraceId traceId, ActivitySpanId spanId)
    {
        ActivityLink link = Assert.Single(span.Links);
        Assert.Equal(traceId, link.Context.TraceId);
        Assert.Equal(spanId, link.Context.SpanId);
    }

    /// <summary>A span of this name, kind and source, from Warren.</summary>
    public static void IsWarren(Activity span, string name, ActivityKind kind)
    {
        Assert.Equal(WarrenInstrumentation.ActivitySourceName, span.Source.Name);
        Assert.Equal(name, span.DisplayName);
        Assert.Equal(kind, span.Kind);
    }

    /// <summary>Each of these tags, with exactly this value (compared as given: strings, longs, ints).</summary>
    public static void HasTags(Activity span, params (string Key, object? Value)[] tags)
    {
        foreach ((string key, object? value) in tags)
        {
            Assert.True(span.TagObjects.Any(t => t.Key == key), $"{SpanCapture.Describe(span)} has no tag '{key}'; it has {Tags(span)}");
            Assert.Equal(value, span.GetTagItem(key));
        }
    }

    public static void LacksTags(Activity span, params string[] keys)
    {
        foreach (string key in keys)
        {
            Assert.Null(span.GetTagItem(key));
        }
    }

    /// <summary>The tags of an event, by name.</summary>
    public static Dictionary<string, object?> TagsOf(ActivityEvent e) => e.Tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);

    /// <summary>The span failed the conventions' way: error status, <c>error.type</c>, and (with an exception) one exception event.</summary>
    public static void Failed(Activity span, string errorType, bool withException)
    {
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        HasTags(span, ("error.type", errorType));
        List<ActivityEvent> exceptions = span.Events.Where(e => e.Name == "exception").ToList();
        if (withException)
        {
            ActivityEvent exception = Assert.Single(exceptions);
            Assert.Equal(errorType, TagsOf(exception)["exception.type"]);
        }
        else
        {
            Assert.Empty(exceptions);
        }
    }

    /// <summary>Status unset (the conventions leave successful spans unset) and no error tag.</summary>
    public static void Succeeded(Activity span)
    {
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        LacksTags(span, "error.type");
        Assert.DoesNotContain(span.Events, e => e.Name == "exception");
    }

    private static string Tags(Activity span) => string.Join(", ", span.TagObjects.Select(t => $"{t.Key}={t.Value}"));
}
