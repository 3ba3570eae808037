using ClassifSae.Runtime;

namespace ClassifSae.Tests.Runtime;

/// <summary>Plain-line progress with an injected clock: when lines come, the rate's unit, the windowed ETA, the current status.</summary>
public sealed class TextProgressTests
{
    private readonly List<string> _lines = [];
    private TimeSpan _now;

    private TextProgress Sink() => new(_lines.Add, () => _now);

    [Fact]
    public void A_fast_task_prints_at_start_and_every_tenth()
    {
        using (var t = Sink().Begin("d", 100))
            for (var i = 1; i <= 100; i++)
            {
                _now = TimeSpan.FromMilliseconds(100 * i);
                t.Advance();
            }
        Assert.Equal(11, _lines.Count);
        Assert.Equal("d: started (100 steps)", _lines[0]);
        Assert.Equal("d: 10/100 (10 %) 10.0/s eta 0:09 elapsed 0:01", _lines[1]);
        Assert.Equal(Enumerable.Range(1, 10).Select(k => $"d: {10 * k}/100 ({10 * k} %)"), _lines.Skip(1).Select(l => l[..l.IndexOf(')')] + ")"));
        Assert.EndsWith("eta 0:00 elapsed 0:10", _lines[^1]);
    }

    [Fact]
    public void A_slow_task_prints_every_30_seconds_with_a_rate_per_minute_not_zero_per_second()
    {
        using (var t = Sink().Begin("pretrain", 1000))
            for (var i = 1; i <= 12; i++)
            {
                _now = TimeSpan.FromSeconds(5 * i);
                t.Advance();
            }
        Assert.Equal(["pretrain: started (1000 steps)",
                      "pretrain: 6/1000 (0 %) 12.0/min eta 1:22:50 elapsed 0:30",
                      "pretrain: 12/1000 (1 %) 12.0/min eta 1:22:20 elapsed 1:00"], _lines);
    }

    [Fact]
    public void One_stalled_step_moves_the_eta_by_the_window_average_not_by_its_own_rate()
    {
        using var t = Sink().Begin("d", 1000);
        for (var i = 1; i <= 120; i++)
        {
            _now = TimeSpan.FromSeconds(i);
            t.Advance();
        }
        Assert.Equal("d: 100/1000 (10 %) 1.00/s eta 15:00 elapsed 1:40", _lines[^1]);
        _now = TimeSpan.FromSeconds(150);   // one step of 30 s
        t.Advance();
        // Rate over the last 60 s: 31 steps (t 90 → 150), 0.517/s; that step's own rate would say 7:19:30.
        Assert.Equal("d: 121/1000 (12 %) 31.0/min eta 28:21 elapsed 2:30", _lines[^1]);
    }

    [Fact]
    public void A_line_shows_the_status_set_for_the_step_it_reports()
    {
        using (var t = Sink().Begin("d", 10))
        {
            _now = TimeSpan.FromSeconds(1);
            t.Status("loss 0.5000");
            t.Advance();
            t.Status("loss 0.2500");
            _now = TimeSpan.FromSeconds(2);
            t.Advance();
        }
        Assert.EndsWith("(10 %) 1.00/s eta 0:09 elapsed 0:01 loss 0.5000", _lines[1]);
        Assert.EndsWith("(20 %) 1.00/s eta 0:08 elapsed 0:02 loss 0.2500", _lines[2]);
    }

    [Fact]
    public void A_task_ended_early_prints_where_it_stopped()
    {
        using (var t = Sink().Begin("d", 100))
        {
            _now = TimeSpan.FromSeconds(1);
            t.Advance(5);
        }
        Assert.Equal(["d: started (100 steps)", "d: 5/100 (5 %) 5.00/s eta 0:19 elapsed 0:01"], _lines);
    }

    [Theory]
    [InlineData(250.0, "250/s")]
    [InlineData(26.0, "26.0/s")]
    [InlineData(1.5, "1.50/s")]
    [InlineData(0.2, "12.0/min")]
    [InlineData(0.001, "3.60/h")]
    [InlineData(1e-6, "0.0036/h")]
    [InlineData(0.0, "–")]
    [InlineData(double.NaN, "–")]
    public void Rates_read_in_a_unit_that_is_never_zero(double perSecond, string expected) =>
        Assert.Equal(expected, ProgressFormat.Rate(perSecond));

    [Theory]
    [InlineData(9, "0:09")]
    [InlineData(1701.29, "28:21")]
    [InlineData(4970, "1:22:50")]
    public void Durations_read_as_minutes_or_hours(double seconds, string expected) =>
        Assert.Equal(expected, ProgressFormat.Duration(TimeSpan.FromSeconds(seconds)));
}
