using System;
using Xunit;

namespace Warren.Runtime.Tests;

/// <summary><see cref="RetryPolicy"/>: exponential delays, doubled per retry, capped, with ±10% jitter; and its bounds.</summary>
public sealed class RetryPolicyTests
{
    [Theory]
    [InlineData(1, 200)]
    [InlineData(2, 400)]
    [InlineData(3, 800)]
    [InlineData(5, 3200)]
    public void Each_retry_waits_twice_as_long_as_the_one_before_within_ten_percent(int retry, int milliseconds)
    {
        var policy = new RetryPolicy { InitialDelay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromMinutes(1) };

        for (int sample = 0; sample < 100; sample++)
        {
            TimeSpan delay = policy.DelayBefore(retry);
            Assert.InRange(delay.TotalMilliseconds, milliseconds * 0.9, milliseconds * 1.1);
        }
    }

    [Fact]
    public void The_delay_never_passes_the_maximum_even_with_jitter()
    {
        var policy = new RetryPolicy { InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(5) };

        for (int sample = 0; sample < 100; sample++)
        {
            Assert.InRange(policy.DelayBefore(10).TotalMilliseconds, 4_500, 5_000);
            Assert.InRange(policy.DelayBefore(1000).TotalMilliseconds, 4_500, 5_000);
        }
    }

    [Fact]
    public void A_zero_initial_delay_retries_at_once()
    {
        var policy = new RetryPolicy { InitialDelay = TimeSpan.Zero };

        Assert.Equal(TimeSpan.Zero, policy.DelayBefore(3));
    }

    [Fact]
    public void Negative_settings_are_refused_and_none_means_no_retry()
    {
        Assert.Equal("MaxRetries", Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy { MaxRetries = -1 }).ParamName);
        Assert.Equal("InitialDelay", Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy { InitialDelay = TimeSpan.FromTicks(-1) }).ParamName);
        Assert.Equal("MaxDelay", Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy { MaxDelay = TimeSpan.FromTicks(-1) }).ParamName);
        Assert.Equal(0, RetryPolicy.None.MaxRetries);
        Assert.Equal("RetryPolicy { MaxRetries = 3, InitialDelay = 00:00:00.2000000, MaxDelay = 00:00:05 }", new RetryPolicy().ToString());
    }
}
