using Lfr.Actors.ControlRoom.Persistence;

namespace Lfr.Actors.ControlRoom.Deployments;

/// <summary>
/// A deployment's state read from its journal events, without its actor (which a reader must never start: it would end
/// a deployment whose window passed, tell vans, persist). <see cref="CatchUpAsync"/> reads only the events stored since
/// the last reading.
/// </summary>
public sealed record DeploymentReading(DeploymentState State, long Sequence)
{
    public static DeploymentReading Of(DeploymentId id) => new(DeploymentState.NotPlanned(id), 0);

    public async Task<DeploymentReading> CatchUpAsync(JournalReader journal, DeploymentSettings settings)
    {
        var (state, sequence) = (State, Sequence);
        foreach (var envelope in await journal.EventsAsync(DeploymentActor.PersistenceIdOf(State.Id), Sequence + 1))
        {
            state = state.Apply((DeploymentActor.IDeploymentEvent)envelope.Event, settings);
            sequence = envelope.SequenceNr;
        }

        return new DeploymentReading(state, sequence);
    }
}
