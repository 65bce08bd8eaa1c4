using System.Text;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Vision.Files;
using Lfr.Vision.Watchlists;

namespace Lfr.Tests.Actors.ControlRoom;

/// <summary>
/// The subject-access store on its own: found by the reference however it is typed, nothing of the reference or the
/// category readable in the file, and rows purged only once their keeping period after the wipe is over.
/// </summary>
public sealed class SubjectAccessStoreSpecs : IDisposable
{
    private static readonly DateTimeOffset Built = new(2026, 3, 2, 7, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();

    [Fact]
    public void The_store_should_answer_by_reference_keep_it_unreadable_in_the_file_and_purge_after_the_keeping_period()
    {
        var store = new SubjectAccessStore(_folder.File("subject-access.db"), MasterKey.Ephemeral());
        var planted = "PNC/26/" + Guid.NewGuid().ToString("N");
        var first = WatchlistEntryId.New();
        store.Add(new WatchlistId("wl-1"), new DateOnly(2026, 3, 2), new DeploymentId("d-sealed-lewisham"), Built,
            [(first, WatchlistCategory.SexOffenderWithConditions, planted), (WatchlistEntryId.New(), WatchlistCategory.CourtWarrant, "PNC/OTHER")]);
        var second = WatchlistEntryId.New();
        store.Add(new WatchlistId("wl-2"), new DateOnly(2026, 4, 9), null, Built.AddDays(38), [(second, WatchlistCategory.WantedWithPowerOfArrest, planted)]);
        store.Wiped(new WatchlistId("wl-1"), Built.AddHours(16));

        var found = store.Find($"  {planted.ToLowerInvariant()} ");
        Assert.Equal([first, second], found.Select(r => r.Entry));
        Assert.Equal((new DeploymentId("d-sealed-lewisham"), WatchlistCategory.SexOffenderWithConditions, Built.AddHours(16)), (found[0].Deployment!.Value, found[0].Category, found[0].WipedAt!.Value));
        Assert.Null(found[1].Deployment);
        Assert.Empty(store.Find("PNC/NOBODY"));

        var file = File.ReadAllBytes(store.Path);
        Assert.Equal(-1, file.AsSpan().IndexOf(Encoding.UTF8.GetBytes(planted)));
        Assert.Equal(-1, file.AsSpan().IndexOf(Encoding.UTF8.GetBytes("d-sealed-lewisham")));

        // kept while within its period after the wipe; wl-2, never wiped, stays
        Assert.Equal(0, store.Purge(Built.AddHours(16)));
        Assert.Equal(2, store.Purge(Built.AddHours(16).AddMilliseconds(1)));
        Assert.Equal([second], store.Find(planted).Select(r => r.Entry));
        Assert.Equal(1, store.Count());
    }

    public void Dispose() => _folder.Dispose();
}
