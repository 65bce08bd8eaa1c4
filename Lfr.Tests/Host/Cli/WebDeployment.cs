using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Lfr.Host.Web;
using Lfr.Host.Web.Auth;
using Lfr.Tests.Fixtures;

namespace Lfr.Tests.Host.Cli;

/// <summary>
/// A control-room process's people, as <c>LFR__WEB__USERS__...</c>, and a deployment run through its web API from plan
/// to live, as they would run it: the multi-process specs' common set-up.
/// </summary>
internal static class WebDeployment
{
    public static readonly (string Name, string Role, string Staff)[] Users =
    [
        ("operator", WebRoles.Operator, "OP-4107"),
        ("superintendent", WebRoles.Superintendent, "SUPT-118"),
        ("chief", WebRoles.ChiefSuperintendent, "CSUPT-042"),
        ("watchlists", WebRoles.WatchlistManager, "WM-310"),
        ("ops", WebRoles.Ops, "OPS-077"),
        ("auditor", WebRoles.Auditor, "AUD-205"),
        ("pc1", WebRoles.Officer, "PC-1187"),
        ("pc2", WebRoles.Officer, "PC-2214"),
    ];

    /// <summary>The environment that gives a node these users, all with <paramref name="password"/>.</summary>
    public static Dictionary<string, string> Environment(string password)
    {
        var users = new Dictionary<string, string>();
        var hash = PasswordHash.Create(password);
        foreach (var (name, role, staff) in Users)
        {
            users[$"LFR__WEB__USERS__{name}__PASSWORDHASH"] = hash;
            users[$"LFR__WEB__USERS__{name}__ROLES"] = role;
            users[$"LFR__WEB__USERS__{name}__STAFFID"] = staff;
        }
        return users;
    }

    /// <summary>
    /// Plans a deployment of <paramref name="cameras"/> for two hours, builds its watchlist from one file image (the file
    /// name is the entry id), has it authorised and approved, lists and confirms its signage, brings an operator and two officers on duty, and starts it. Returns its id.
    /// </summary>
    public static async Task<string> GoLiveAsync(string site, string password, string cameras, string fileImage)
    {
        using var operatorUser = await SignInAsync(site, "operator", password);
        using var superintendent = await SignInAsync(site, "superintendent", password);
        using var chief = await SignInAsync(site, "chief", password);
        using var watchlists = await SignInAsync(site, "watchlists", password);

        var now = DateTimeOffset.UtcNow;
        var deployment = $"int-{now:yyyyMMdd-HHmmss}";
        var watchlist = $"{deployment}-wl";
        await PostAsync(operatorUser, "/api/deployments", JsonContent.Create(new
        {
            id = deployment, place = "Lewisham High Street", latitude = 51.4613, longitude = -0.0106, windowStart = now.AddMinutes(-1),
            windowEnd = now.AddHours(2), cameras, purpose = "Locate people wanted for robbery (cluster test)", watchlist, threshold = 0.6,
            legalBasis = "Common law policing powers", necessity = "Robberies in the area", alternatives = "Patrols", area = "South East BCU",
        }));

        using var upload = new MultipartFormDataContent();
        upload.Add(new StringContent(watchlist), "id");
        upload.Add(new StringContent($"{now:yyyy-MM-dd}"), "forDate");
        upload.Add(new StringContent(deployment), "deployment");
        upload.Add(new StringContent("wanted"), "category");
        upload.Add(new StringContent("Wanted: robbery, Catford Broadway"), "reason");
        upload.Add(new StringContent("Lewisham CID"), "source");
        var image = new ByteArrayContent(await File.ReadAllBytesAsync(fileImage));
        image.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        upload.Add(image, "images", Path.GetFileName(fileImage));
        using (var built = JsonDocument.Parse(await PostAsync(watchlists, "/api/watchlists", upload)))
            Assert.Equal(1, built.RootElement.GetProperty("entries").GetInt32());

        await PostAsync(superintendent, $"/api/deployments/{deployment}/authorise", null);
        await PostAsync(chief, $"/api/deployments/{deployment}/approve", null);
        await PostAsync(operatorUser, $"/api/deployments/{deployment}/signs", JsonContent.Create(new { approach = "High Street, north", evidence = "photo 1" }));
        await PostAsync(operatorUser, $"/api/deployments/{deployment}/signage", null);
        await PostAsync(operatorUser, $"/api/deployments/{deployment}/crew", JsonContent.Create(new { onDuty = true }));
        // the engagement officers come on duty on their handsets, which books them on for the deployment
        foreach (var officer in new[] { "pc1", "pc2" })
        {
            using var handset = await SignInAsync(site, officer, password);
            await PostAsync(handset, "/api/me/duty", JsonContent.Create(new { onDuty = true }));
        }
        using (var live = JsonDocument.Parse(await PostAsync(operatorUser, $"/api/deployments/{deployment}/start", null)))
            Assert.Equal("Live", live.RootElement.GetProperty("status").GetString());
        return deployment;
    }

    /// <summary>A client holding the user's session cookie, signed in through the API as the pages' scripts do.</summary>
    public static async Task<HttpClient> SignInAsync(string site, string user, string password)
    {
        var client = TestHttps.Client(new Uri(site), new CookieContainer());
        client.Timeout = TimeSpan.FromSeconds(30);
        client.DefaultRequestHeaders.Add(LfrWeb.CsrfHeader, "1");
        using var response = await client.PostAsJsonAsync("/api/session", new { user, password });
        Assert.True(response.IsSuccessStatusCode, $"{user} could not sign in: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return client;
    }

    public static async Task<string> PostAsync(HttpClient client, string path, HttpContent? content)
    {
        using var response = await client.PostAsync(path, content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {body}");
        return body;
    }
}
