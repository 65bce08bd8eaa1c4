namespace Lfr.Vision.Watchlists;

/// <summary>
/// Why a person is on a watchlist: the three categories the Met uses for LFR deployments.
/// A category is the only thing an entry says about the person; no field anywhere holds a
/// protected characteristic.
/// </summary>
public enum WatchlistCategory : byte
{
    CourtWarrant = 1,
    WantedWithPowerOfArrest = 2,
    SexOffenderWithConditions = 3,
}
