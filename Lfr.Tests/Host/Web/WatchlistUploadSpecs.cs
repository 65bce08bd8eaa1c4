using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Lfr.Tests.Fixtures;

namespace Lfr.Tests.Host.Web;

/// <summary>
/// Builds through <c>POST /api/watchlists</c> with a manifest: unusable rows and images are refused with HTTP 400 and
/// every one listed, nothing stored; entry ids are opaque, and neither a file name nor a subject reference reaches the
/// journal, the audit trail or any other file of the control room, even once the entry has raised an alert.
/// </summary>
public sealed class WatchlistUploadSpecs(WebApp web) : IClassFixture<WebApp>
{
    [Fact]
    public async Task A_build_with_unusable_rows_should_be_refused_with_each_listed_and_nothing_stored()
    {
        using var wm = await web.ClientAsync("wm");
        using var form = Build("wl-rows", "d-rows",
            "file,reference,category,reason,source\nok.jpg,PNC/1,wanted,Robbery,Met\nnotes.jpg,PNC/2,wanted,Robbery,Met\nmissing.jpg,PNC/3,wanted,Robbery,Met\nok2.jpg,,stolen,Robbery,Met\n",
            ("ok.jpg", FileImages.Face(0)), ("notes.jpg", "not a photo"u8.ToArray()), ("ok2.jpg", FileImages.Face(1)), ("stray.jpg", FileImages.Face(2)));
        var response = await wm.PostAsync("/api/watchlists", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var rejected = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("rejected").EnumerateArray()
            .ToDictionary(r => r.GetProperty("file").GetString()!, r => r.GetProperty("reason").GetString()!);
        Assert.Equal(["missing.jpg", "notes.jpg", "ok2.jpg", "stray.jpg"], rejected.Keys.Order());
        Assert.Equal("not a JPEG or PNG image", rejected["notes.jpg"]);
        Assert.Equal("no image of that name was uploaded", rejected["missing.jpg"]);
        Assert.Equal("unknown category 'stolen': court-warrant, wanted or sex-offender; the reference is missing", rejected["ok2.jpg"]);
        Assert.Equal("no manifest row names this image", rejected["stray.jpg"]);

        // and one whose only problem is a face enrolment cannot use: 400 too, never 500 with an empty body
        using var noFace = Build("wl-rows", "d-rows", "file,reference,category,reason,source\nnobody.jpg,PNC/4,wanted,Robbery,Met\n",
            ("nobody.jpg", FileImages.NoFace()));
        response = await wm.PostAsync("/api/watchlists", noFace);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var only = Assert.Single(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("rejected").EnumerateArray());
        Assert.Equal(2, only.GetProperty("row").GetInt32());
        Assert.DoesNotContain("wl-rows", await wm.GetStringAsync("/api/watchlists"));
    }

    [Fact]
    public async Task Neither_a_file_name_nor_a_subject_reference_should_reach_the_journal_the_audit_trail_or_any_file()
    {
        var planted = Guid.NewGuid().ToString("N");
        var reference = $"PNC/PLANTED/{planted}";
        var fileName = $"Jane-Doe-{planted}";
        using var wm = await web.ClientAsync("wm");
        using var form = Build("wl-opaque", "d-opaque", $"file,reference,category,reason,source,markers\n{fileName}.jpg,{reference},wanted,Robbery,Met,violent\n",
            ($"{fileName}.jpg", FacePhotos.FileImage(0)));
        var built = await wm.PostAsync("/api/watchlists", form);
        Assert.Equal(HttpStatusCode.OK, built.StatusCode);
        var entry = JsonDocument.Parse(await wm.GetStringAsync("/api/watchlists/wl-opaque/entries")).RootElement.EnumerateArray().Single();
        var id = entry.GetProperty("id").GetString()!;
        Assert.Matches("^e-[0-9a-f]{24}$", id);
        Assert.Equal(["violent"], entry.GetProperty("markers").EnumerateArray().Select(m => m.GetString()));

        // live, an alert on the entry, a subject-access search for it: the journal gets the entry id, never the reference
        await web.LiveDeploymentAsync("d-opaque", "wl-opaque");
        await web.RaiseAlertAsync("d-opaque", id, FacePhotos.Capture(0));
        using var auditor = await web.ClientAsync("audit");
        var answer = await auditor.PostAsJsonAsync("/api/subject-access", new { reference, request = "SAR-PLANT-1" });
        var found = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(id, Assert.Single(found.GetProperty("records").EnumerateArray()).GetProperty("entry").GetString());

        var trail = (await web.Gateway.Trail()).Entries;
        Assert.Contains(trail, e => e.Detail.Contains(id, StringComparison.Ordinal));
        Assert.DoesNotContain(trail, e => (e.Subject + e.Detail + e.Who).Contains(planted, StringComparison.OrdinalIgnoreCase));
        var marker = Encoding.UTF8.GetBytes(planted);
        var files = Directory.GetFiles(web.DataFolder, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => Path.GetFileName(f) == "journal.db");
        Assert.DoesNotContain(files, f => File.ReadAllBytes(f).AsSpan().IndexOf(marker) >= 0);
    }

    private static MultipartFormDataContent Build(string id, string deployment, string manifest, params (string Name, byte[] Bytes)[] images)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(id), "id" },
            { new StringContent(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), "forDate" },
            { new StringContent(deployment), "deployment" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(manifest)), "manifest", "manifest.csv" },
        };
        foreach (var (name, bytes) in images)
            form.Add(new ByteArrayContent(bytes), "images", name);
        return form;
    }
}
