using Lfr.Host.Cli;

namespace Lfr.Tests.Host.Cli;

/// <summary>The progress line of long jobs (lfr eval, lfr watchlist build): photos done, rate and time left.</summary>
public sealed class ProgressBarSpecs
{
    [Fact]
    public void Progress_line_should_show_photos_done_rate_and_time_left()
    {
        var line = ProgressBar.Line("embedding", 1200, 4542, TimeSpan.FromSeconds(60));

        Assert.Contains("1200/4542 photos", line);
        Assert.Contains("20.0/s", line);
        Assert.Contains("2m47s left", line); // 3,342 photos at 20 a second
        Assert.Contains("[#######.......................]", line);
    }

    [Fact]
    public void Progress_line_should_say_done_at_the_end_and_nothing_left_before_any_rate()
    {
        Assert.EndsWith("done", ProgressBar.Line("enrolling", 10, 10, TimeSpan.FromSeconds(2)));
        Assert.DoesNotContain("left", ProgressBar.Line("enrolling", 0, 10, TimeSpan.Zero));
    }
}
