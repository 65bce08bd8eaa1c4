using System.Net;
using System.Net.Http.Json;
using Akka.Actor;
using Akka.Hosting;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Officers;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Host.Web;
using Lfr.Host.Web.Auth;
using Lfr.Tests.Actors.ControlRoom;
using Lfr.Tests.Fixtures;
using Lfr.Vision.Watchlists;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VanAlerts = Lfr.Actors.Van.Pipeline.AlertProtocol;

namespace Lfr.Tests.Host.Web;

/// <summary>
/// The web app on a real Kestrel (127.0.0.1, any free port) over a real control room (SQLite files in a temp
/// folder), composed with the same extensions a node uses, and one user per role.
/// </summary>
public sealed class WebApp : IAsyncLifetime
{
    public const string Password = "correct horse battery";

    /// <summary>The control room's watchlist signing key: a file signed with it is imported, any other refused.</summary>
    public static readonly WatchlistSigningKey WatchlistKey = WatchlistSigningKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    /// <summary>Sign-in name, role and staff id of each person the specs act as.</summary>
    public static readonly (string User, string Role, string StaffId)[] People =
    [
        ("op1", WebRoles.Operator, "OP1"),
        ("op2", WebRoles.Operator, "OP2"),
        ("pc1", WebRoles.Officer, "PC1"),
        ("pc2", WebRoles.Officer, "PC2"),
        ("supt", WebRoles.Superintendent, "S100"),
        ("chief", WebRoles.ChiefSuperintendent, "C200"),
        ("wm", WebRoles.WatchlistManager, "WM1"),
        ("ops", WebRoles.Ops, "OPS1"),
        ("audit", WebRoles.Auditor, "AUD1"),
    ];

    /// <summary>One user of each role, for the role tables.</summary>
    public static string UserFor(string role) => People.First(p => p.Role == role).User;

    private readonly TempFolder _folder = new();
    private readonly string[] _settings;
    private readonly TimeProvider? _webClock;
    private WebApplication? _app;

    public WebApp() : this(null, []) { }

    /// <param name="settings">Configuration lines (<c>Lfr:ControlRoom:Alerts:TwoPersonConfirmation=true</c>), as appsettings.json gives them.</param>
    internal WebApp(params string[] settings) : this(null, settings) { }

    /// <param name="webClock">The clock sessions expire by; the control room always runs on the system clock.</param>
    internal WebApp(TimeProvider? webClock, params string[] settings)
    {
        _settings = settings;
        _webClock = webClock;
    }

    /// <summary>The users in an appsettings.json (<see cref="UsersFile"/>) that the app reloads on change, not in memory.</summary>
    internal bool UsersInFile { get; init; }

    public string UsersFile => _folder.File("appsettings.json");

    /// <summary>More for the actor system before it starts, e.g. a van's cameras in the same process.</summary>
    internal Action<AkkaConfigurationBuilder, IServiceProvider>? WithActors { get; init; }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The control room's data folder: the journal, image, watchlist and subject-access files the privacy specs read.</summary>
    internal string DataFolder => _folder.Path;

    public IServiceProvider Services => _app!.Services;

    public ControlRoomGateway Gateway => Services.GetRequiredService<ControlRoomGateway>();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        new WebHttpsSettings().Apply(builder.WebHost, "127.0.0.1", 0, TestHttps.Certificate);
        // a cheap hash keeps sign-in fast in specs; the format and the check are the production ones
        var hash = PasswordHash.Create(Password, iterations: 1000);
        if (UsersInFile)
        {
            // as a node reads them: appsettings.json, reloaded when it changes (lfr user remove edits it)
            var users = People.ToDictionary(p => p.User, p => new { PasswordHash = hash, Roles = p.Role, StaffId = p.StaffId });
            File.WriteAllText(UsersFile, System.Text.Json.JsonSerializer.Serialize(new { Lfr = new { Web = new { Users = users } } }));
            builder.Configuration.AddJsonFile(UsersFile, optional: false, reloadOnChange: true);
        }
        else
            builder.Configuration.AddInMemoryCollection(People.SelectMany(p => new[]
            {
                KeyValuePair.Create<string, string?>($"Lfr:Web:Users:{p.User}:PasswordHash", hash),
                KeyValuePair.Create<string, string?>($"Lfr:Web:Users:{p.User}:Roles", p.Role),
                KeyValuePair.Create<string, string?>($"Lfr:Web:Users:{p.User}:StaffId", p.StaffId),
            }));
        builder.Configuration.AddConfiguration(Configured.Configuration(_settings));
        // the control room's policies from the same configuration the pages read them from, as on a node
        var options = ControlRoomSettings.FromConfiguration(builder.Configuration).ApplyTo(new ControlRoomOptions(_folder.Path) { WatchlistKey = WatchlistKey });
        builder.Services.AddSingleton(options);
        if (_webClock is not null) builder.Services.AddSingleton(_webClock);
        builder.Services.AddAkka("web-spec", (akka, services) =>
        {
            akka.WithLfrControlRoom(options, TimeProvider.System, FileImages.Engine);
            WithActors?.Invoke(akka, services);
        });
        builder.Services.AddLfrNodeEndpoints();
        builder.Services.AddLfrWeb(builder.Configuration);
        _app = builder.Build();
        _app.MapLfrNodeEndpoints();
        _app.MapLfrWeb();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseAddress = new Uri(address);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        _folder.Dispose();
    }

    /// <summary>A client signed in as <paramref name="user"/> (null: nobody), sending the CSRF header as the pages do.</summary>
    public async Task<HttpClient> ClientAsync(string? user, bool csrfHeader = true)
    {
        var client = TestHttps.Client(BaseAddress, new CookieContainer(), allowAutoRedirect: false);
        if (csrfHeader) client.DefaultRequestHeaders.Add(LfrWeb.CsrfHeader, "1");
        if (user is null) return client;
        using var signIn = new HttpRequestMessage(HttpMethod.Post, "/api/session") { Content = JsonContent.Create(new { user, password = Password }) };
        signIn.Headers.Add(LfrWeb.CsrfHeader, "1");
        var response = await client.SendAsync(signIn);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return client;
    }

    /// <summary>A deployment made live through the control room's actors, with a built watchlist of <paramref name="entries"/> (none: already built).</summary>
    public async Task<DeploymentState> LiveDeploymentAsync(string deployment, string watchlist, params (string Entry, byte[] FileImage)[] entries)
    {
        var id = new DeploymentId(deployment);
        var now = DateTimeOffset.UtcNow;
        // no entries: the watchlist was built by the caller
        if (entries.Length > 0)
            await Gateway.Watchlists<WatchlistProtocol.WatchlistBuilt>(new WatchlistProtocol.BuildWatchlist(new WatchlistId(watchlist), DateOnly.FromDateTime(now.UtcDateTime),
            id, new StaffId("WM1"), entries.Select(e => new WatchlistEntryDraft(new WatchlistEntryId(e.Entry), WatchlistCategory.WantedWithPowerOfArrest,
                "Wanted for burglary", "Met wanted list", DateOnly.FromDateTime(now.UtcDateTime), new StaffId("WM1"), "PNC/" + e.Entry, e.FileImage)).ToArray()));
        var plan = new DeploymentPlan(new Place("Lewisham High Street", 51.4613, -0.0106), new TimeWindow(now.AddHours(-1), now.AddHours(8)),
            ["van-1/cam-a", "van-1/cam-b"], "Locate people wanted by police", new WatchlistId(watchlist), Case: Readiness.Case);
        // a watchlist the caller built may name no deployment: the authority's report, as it would come
        if (entries.Length == 0) Gateway.Actors.Deployments.Tell(Readiness.Composed(id, new WatchlistId(watchlist)));
        await Gateway.Deployment(new DeploymentProtocol.PlanDeployment(id, plan, new StaffId("OP1")));
        await Gateway.Deployment(new DeploymentProtocol.Authorise(id, new Signatory(new StaffId("S100"), "Superintendent")));
        await Gateway.Deployment(new DeploymentProtocol.Approve(id, new Signatory(new StaffId("C200"), "Chief Superintendent")));
        foreach (var command in Readiness.Commands(id, new StaffId("OP1")))
            await Gateway.Deployment(command);
        return await Gateway.Deployment(new DeploymentProtocol.GoLive(id, new StaffId("OP1")));
    }

    /// <summary>Polls the control room until <paramref name="probe"/> gives a value (20 s at most).</summary>
    public T Until<T>(Func<T?> probe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the control room did not get there in 20 s");
            Thread.Sleep(50);
        }
    }

    /// <summary>
    /// Puts a match into the control room's intake as a van's outbox would, and waits until the desk has stored it.
    /// </summary>
    public async Task<AlertId> RaiseAlertAsync(string deployment, string entry, byte[] captureJpeg, string camera = "van-1/cam-a", float likelihood = 0.74f)
    {
        var id = new Lfr.Actors.Van.AlertId(Guid.NewGuid());
        var candidate = new VanAlerts.AlertCandidate(id, new Lfr.Actors.Van.DeploymentId(deployment), new Lfr.Actors.Van.CameraId(camera),
            new Lfr.Actors.Van.TrackId(1), new WatchlistEntryId(entry), WatchlistCategory.WantedWithPowerOfArrest, likelihood, "model", "calibration",
            DateTimeOffset.UtcNow, TimeSpan.Zero, captureJpeg);
        var reply = await Gateway.Intake.Ask<object>(candidate, ControlRoomGateway.Timeout);
        Assert.IsType<Lfr.Actors.Van.Outbox.OutboxProtocol.AlertStored>(reply);
        return new AlertId(id.Value.ToString("N"));
    }
}
