using Akka.Actor;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Tests.Actors.ControlRoom;
using Lfr.Tests.Fixtures;
using Lfr.Vision.Watchlists;
using static Lfr.Tests.Host.Web.OperatorWebSpecs;

namespace Lfr.Tests.Host.Web;

/// <summary>Deployments and watchlists through the web: each step by the role that may take it, in the control room's order.</summary>
public sealed class DeploymentWebSpecs(WebApp web) : IClassFixture<WebApp>
{
    [Fact]
    public async Task A_deployment_should_go_live_only_after_the_superintendent_and_the_chief_superintendent_signed_it()
    {
        using var op = await web.ClientAsync("op1");
        using var supt = await web.ClientAsync("supt");
        using var chief = await web.ClientAsync("chief");
        var now = DateTimeOffset.UtcNow;
        var planned = await PostOk(op, "/api/deployments", new
        {
            id = "d-web", place = "Catford Broadway", latitude = 51.4452, longitude = -0.0209, windowStart = now.AddMinutes(-5), windowEnd = now.AddHours(6),
            cameras = "van-2/cam-a, van-2/cam-b", purpose = "Locate people wanted on warrant", watchlist = "wl-web", threshold = 0.6,
            legalBasis = "Common law policing powers", necessity = "Warrant backlog", alternatives = "Patrols", area = "South East BCU",
        });
        web.Gateway.Actors.Deployments.Tell(Readiness.Composed(new Lfr.Actors.ControlRoom.Deployments.DeploymentId("d-web"), new WatchlistId("wl-web")));
        Assert.Equal("Draft", planned.GetProperty("status").GetString());

        var early = await op.PostAsJsonAsync("/api/deployments/d-web/start", new { });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await chief.PostAsJsonAsync("/api/deployments/d-web/authorise", new { })).StatusCode);

        var authorised = await PostOk(supt, "/api/deployments/d-web/authorise", new { });
        Assert.Equal("Authorised", authorised.GetProperty("status").GetString());
        Assert.Equal("Superintendent", authorised.GetProperty("authorisations")[0].GetProperty("rank").GetString());
        Assert.Equal("Approved", (await PostOk(chief, "/api/deployments/d-web/approve", new { })).GetProperty("status").GetString());
        await PostOk(op, "/api/deployments/d-web/signs", new { approach = "Rushey Green, from the north", evidence = "photo IMG_2041" });
        await PostOk(op, "/api/deployments/d-web/signage", new { });
        await PostOk(op, "/api/deployments/d-web/crew", new { onDuty = true });
        foreach (var officer in new[] { "pc1", "pc2" })
        {
            using var handset = await web.ClientAsync(officer);
            Assert.Equal(HttpStatusCode.OK, (await handset.PostAsJsonAsync("/api/me/duty", new { onDuty = true })).StatusCode);
        }
        Assert.Equal("Live", (await PostOk(op, "/api/deployments/d-web/start", new { })).GetProperty("status").GetString());

        var listed = JsonDocument.Parse(await op.GetStringAsync("/api/deployments")).RootElement.EnumerateArray().Single(d => d.GetProperty("id").GetString() == "d-web");
        Assert.Equal("Live", listed.GetProperty("status").GetString());
        Assert.Equal(["van-2/cam-a", "van-2/cam-b"], listed.GetProperty("cameras").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task A_plan_with_missing_fields_should_be_refused_with_every_missing_field_named()
    {
        using var op = await web.ClientAsync("op1");
        var response = await op.PostAsJsonAsync("/api/deployments", new { id = "d-bad", cameras = "cam-a" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();
        Assert.Equal("a plan needs the place, the place's latitude and longitude, a time window that ends after it starts, cameras named VAN/CAMERA, the purpose, the watchlist id, the legal basis, why it is necessary and proportionate, the alternatives considered, the BCU or area", error);
    }

    [Fact]
    public async Task The_watchlist_manager_should_build_a_watchlist_from_uploaded_images_and_see_it_listed_with_the_wipe_schedule()
    {
        using var wm = await web.ClientAsync("wm");
        using var form = Upload("wl-upload", ("subject-a.jpg", FacePhotos.FileImage(0)), ("subject-b.jpg", FacePhotos.FileImage(1)));
        form.Add(new StringContent("PNC/01/123456A"), "ref:subject-a.jpg");
        var response = await wm.PostAsync("/api/watchlists", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("entries").GetInt32());

        var listing = JsonDocument.Parse(await wm.GetStringAsync("/api/watchlists")).RootElement;
        var built = listing.GetProperty("watchlists").EnumerateArray().Single(w => w.GetProperty("id").GetString() == "wl-upload");
        Assert.Equal(2, built.GetProperty("wanted").GetInt32());
        Assert.Equal("23:00", listing.GetProperty("schedule").GetProperty("dailyAt").GetString());
        var next = listing.GetProperty("schedule").GetProperty("next").GetDateTimeOffset();
        Assert.InRange(next - DateTimeOffset.UtcNow, TimeSpan.Zero, TimeSpan.FromDays(1));
        Assert.Equal(23, next.UtcDateTime.Hour);

        // a subject-access request finds the entry by the reference given with its image (the file name for the other);
        // the entry ids are opaque, derived from neither
        var found = await web.Gateway.Watchlists<WatchlistProtocol.SubjectAccessAnswer>(new WatchlistProtocol.FindSubject("PNC/01/123456A", new("AUD1"), "SAR-1"));
        var record = Assert.Single(found.Records);
        Assert.Equal("wl-upload", record.Watchlist.Value);
        Assert.StartsWith("e-", record.Entry.Value, StringComparison.Ordinal);
        found = await web.Gateway.Watchlists<WatchlistProtocol.SubjectAccessAnswer>(new WatchlistProtocol.FindSubject("subject-b", new("AUD1"), "SAR-2"));
        Assert.Equal(WatchlistCategory.WantedWithPowerOfArrest, Assert.Single(found.Records).Category);
    }

    [Fact]
    public async Task An_upload_that_is_not_an_image_should_be_refused_and_build_nothing()
    {
        using var wm = await web.ClientAsync("wm");
        using var form = Upload("wl-not-image", ("notes.jpg", "this is not a photo"u8.ToArray()));
        var response = await wm.PostAsync("/api/watchlists", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("notes.jpg: not a JPEG or PNG image", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain("wl-not-image", await wm.GetStringAsync("/api/watchlists"));
    }

    [Fact]
    public async Task An_uploaded_file_image_should_reach_no_temp_file_and_one_over_its_cap_should_be_refused()
    {
        using var wm = await web.ClientAsync("wm");
        // a marker in a JPEG comment makes the image 200 KB, well over the 64 KB past which ReadFormAsync spills to disk
        var marker = System.Text.Encoding.ASCII.GetBytes($"LFR-UPLOAD-MARKER-{Guid.NewGuid():N}");
        var image = FileImages.WithComment(FacePhotos.FileImage(2), [.. marker, .. new byte[60_000], .. marker]);
        image = FileImages.WithComment(image, [.. marker, .. new byte[60_000], .. marker]);
        image = FileImages.WithComment(image, [.. marker, .. new byte[60_000], .. marker]);
        Assert.True(image.Length > 150_000);
        using (var watch = new FolderWatch([(Path.GetTempPath(), false)], marker))
        {
            using var form = Upload("wl-big-image", ("subject-big.jpg", image));
            var response = await wm.PostAsync("/api/watchlists", form);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Empty(watch.Hits);
            Assert.DoesNotContain(watch.Seen, f => Path.GetFileName(f).StartsWith("ASPNETCORE_", StringComparison.Ordinal));
        }

        using var tooBig = Upload("wl-too-big", ("subject-huge.jpg", [0xFF, 0xD8, 0xFF, .. new byte[5 * 1024 * 1024]]));
        var refused = await wm.PostAsync("/api/watchlists", tooBig);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("at most", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_watchlist_manager_should_import_a_signed_watchlist_file_and_a_file_signed_with_another_key_should_be_refused()
    {
        using var wm = await web.ClientAsync("wm");
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        MultipartFormDataContent Import(string id, byte[] file) => new()
        {
            { new StringContent(id), "id" },
            { new StringContent(today), "forDate" },
            { new ByteArrayContent(file), "file", "today.lfrw" },
        };

        using var signed = Import("wl-imported", SignedFile(WebApp.WatchlistKey));
        var response = await wm.PostAsync("/api/watchlists/import", signed);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("entries").GetInt32());
        var listing = JsonDocument.Parse(await wm.GetStringAsync("/api/watchlists")).RootElement;
        var built = listing.GetProperty("watchlists").EnumerateArray().Single(w => w.GetProperty("id").GetString() == "wl-imported");
        Assert.Equal(1, built.GetProperty("courtWarrant").GetInt32());

        using var forged = Import("wl-forged", SignedFile(WatchlistSigningKey.FromBytes(new byte[32])));
        response = await wm.PostAsync("/api/watchlists/import", forged);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("signature does not match", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain("wl-forged", await wm.GetStringAsync("/api/watchlists"));
    }

    /// <summary>A format-2 file as <c>lfr watchlist build</c> writes it: two real faces with their embeddings and file images.</summary>
    private static byte[] SignedFile(WatchlistSigningKey key)
    {
        var images = new[] { FacePhotos.FileImage(0), FacePhotos.FileImage(1) };
        var (embeddings, _) = WatchlistEnrolmentActor.Embed(FileImages.Engine, [(new WatchlistEntryId("F1"), images[0]), (new WatchlistEntryId("F2"), images[1])]);
        WatchlistEntry[] entries =
        [
            new(new WatchlistEntryId("F1"), WatchlistCategory.CourtWarrant, embeddings![0]) { Reason = "Failed to appear", FileImage = images[0] },
            new(new WatchlistEntryId("F2"), WatchlistCategory.WantedWithPowerOfArrest, embeddings[1]) { Reason = "Burglary", FileImage = images[1] },
        ];
        using var folder = new TempFolder();
        var path = folder.File("today.lfrw");
        WatchlistFile.Write(path, entries, FileImages.Engine.EmbeddingModelSha256, DateTimeOffset.UtcNow, key);
        return File.ReadAllBytes(path);
    }

    private static MultipartFormDataContent Upload(string id, params (string Name, byte[] Bytes)[] files)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(id), "id" },
            { new StringContent(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), "forDate" },
            { new StringContent("wanted"), "category" },
            { new StringContent("Wanted for robbery"), "reason" },
            { new StringContent("Met wanted list"), "source" },
        };
        foreach (var (name, bytes) in files)
            form.Add(new ByteArrayContent(bytes), "images", name);
        return form;
    }
}
