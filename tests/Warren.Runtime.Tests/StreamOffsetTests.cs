using System;
using RabbitMQ.Client;
using Xunit;

namespace Warren.Runtime.Tests;

/// <summary><see cref="StreamOffset"/>: what configuration and attributes may say, and the <c>x-stream-offset</c> the broker gets.</summary>
public sealed class StreamOffsetTests
{
    [Theory]
    [InlineData("first", "first")]
    [InlineData(" LAST ", "last")]
    [InlineData("Next", "next")]
    [InlineData("0", "0")]
    [InlineData("12345", "12345")]
    [InlineData("2024-05-01T12:00:00Z", "2024-05-01T12:00:00Z")]
    [InlineData("2024-05-01T14:00:00+02:00", "2024-05-01T12:00:00Z")]
    [InlineData("2024-05-01", "2024-05-01T00:00:00Z")] // a date alone is midnight UTC, not local midnight
    public void Parses_names_offsets_and_iso_times(string text, string parsed)
    {
        Assert.Equal(parsed, StreamOffset.Parse(text).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("1,000")]
    [InlineData("yesterday")]
    [InlineData("May 1 2024")]
    [InlineData("99999999999999999999")]
    public void Refuses_anything_else_with_a_text_that_lists_what_is_accepted(string text)
    {
        Assert.False(StreamOffset.TryParse(text, out StreamOffset? offset));
        Assert.Null(offset);
        FormatException error = Assert.Throws<FormatException>(() => StreamOffset.Parse(text));
        Assert.Equal(
            $"'{text}' is not a stream offset: use first, last, next, a whole number (an offset) or an ISO 8601 time such as 2024-05-01T12:00:00Z.",
            error.Message);
    }

    [Fact]
    public void The_broker_gets_names_as_text_offsets_as_numbers_and_times_as_timestamps()
    {
        Assert.Equal("first", StreamOffset.First.ToArgument());
        Assert.Equal("next", StreamOffset.Parse("next").ToArgument());
        Assert.Equal(42L, StreamOffset.Parse("42").ToArgument());
        Assert.Equal(new AmqpTimestamp(1_714_564_800), StreamOffset.Parse("2024-05-01T12:00:00Z").ToArgument());
    }

    [Fact]
    public void Offsets_compare_by_value_and_times_keep_whole_seconds()
    {
        Assert.Equal(StreamOffset.Offset(7), StreamOffset.Parse("7"));
        Assert.NotEqual(StreamOffset.Offset(0), StreamOffset.First);
        Assert.Equal(StreamOffset.At(new DateTimeOffset(2024, 5, 1, 12, 0, 0, 900, TimeSpan.Zero)), StreamOffset.Parse("2024-05-01T12:00:00Z"));
        Assert.Equal(7, StreamOffset.Offset(7).NumericOffset);
        Assert.Null(StreamOffset.Last.NumericOffset);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero), StreamOffset.Parse("2024-05-01T12:00:00Z").Timestamp);
        Assert.Throws<ArgumentOutOfRangeException>(() => StreamOffset.Offset(-1));
    }
}
