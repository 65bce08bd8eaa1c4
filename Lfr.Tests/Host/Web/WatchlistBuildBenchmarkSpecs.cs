using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Lfr.Tests.Fixtures;
using Xunit.Abstractions;

namespace Lfr.Tests.Host.Web;

/// <summary>
/// With <c>LFR_BENCH=1</c>: a 17,000-entry list (the Met's largest) built through <c>POST /api/watchlists</c> as one zip,
/// the upload and the enrolment timed apart, for docs/benchmarks.md. Skipped otherwise (it takes minutes).
/// </summary>
public sealed class WatchlistBuildBenchmarkSpecs(WebApp web, ITestOutputHelper output) : IClassFixture<WebApp>
{
    private const int Entries = 17_000;

    [BenchFact]
    public async Task A_17000_entry_list_should_build_through_the_web_with_its_progress_reported()
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            var manifest = new StringBuilder("file,reference,category,reason,source\n");
            for (var i = 0; i < Entries; i++)
            {
                manifest.Append(CultureInfo.InvariantCulture, $"p{i:00000}.jpg,PNC/26/{i:000000},wanted,Burglary,Met wanted list\n");
                await using var image = archive.CreateEntry($"p{i:00000}.jpg", CompressionLevel.NoCompression).Open();
                image.Write(FileImages.Face(i));
            }
            await using var writer = new StreamWriter(archive.CreateEntry("manifest.csv").Open());
            await writer.WriteAsync(manifest.ToString());
        }

        // a client whose timeout outlasts the enrolment (HttpClient's default is 100 s)
        using var wm = TestHttps.Client(web.BaseAddress, new CookieContainer());
        wm.Timeout = TimeSpan.FromHours(3);
        wm.DefaultRequestHeaders.Add(Lfr.Host.Web.LfrWeb.CsrfHeader, "1");
        (await wm.PostAsJsonAsync("/api/session", new { user = "wm", password = WebApp.Password })).EnsureSuccessStatusCode();
        using var form = new MultipartFormDataContent
        {
            { new StringContent("wl-17k"), "id" },
            { new StringContent(DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), "forDate" },
            { new ByteArrayContent(zip.ToArray()), "archive", "wl-17k.zip" },
        };
        var clock = Stopwatch.StartNew();
        var build = wm.PostAsync("/api/watchlists", form);
        TimeSpan? enrolling = null;
        while (!build.IsCompleted)
        {
            await Task.WhenAny(build, Task.Delay(1000));
            using var progress = JsonDocument.Parse(await wm.GetStringAsync("/api/watchlists/wl-17k/progress"));
            if (enrolling is null && progress.RootElement.GetProperty("total").GetInt32() > 0) enrolling = clock.Elapsed;
        }

        var response = await build;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        output.WriteLine($"{Entries} entries, zip {zip.Length / (1024 * 1024)} MB: upload and parse {enrolling?.TotalSeconds:0.0} s, " +
                         $"built after {clock.Elapsed.TotalSeconds:0.0} s ({Entries / (clock.Elapsed - (enrolling ?? TimeSpan.Zero)).TotalSeconds:0} entries/s enrolled), " +
                         $"{Environment.ProcessorCount} cores, managed memory {GC.GetTotalMemory(false) / (1024 * 1024)} MB");
    }
}

/// <summary>A fact that runs only with <c>LFR_BENCH=1</c>: a figure for docs/benchmarks.md, not a check for every run.</summary>
public sealed class BenchFactAttribute : FactAttribute
{
    public BenchFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("LFR_BENCH") != "1")
            Skip = "a benchmark: set LFR_BENCH=1 to run it";
    }
}
