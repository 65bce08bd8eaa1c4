using Akka.Actor;
using Akka.Cluster;
using Lfr.Actors.Cluster;

namespace Lfr.Actors.Van.Link;

/// <summary>
/// Which control room a van actor talks to, from the membership events its <see cref="ClusterLink"/> passes on: the
/// oldest reachable control-room member, as a cluster singleton would be placed. It also holds the link to send through.
/// </summary>
public sealed class ControlRoomTarget
{
    private readonly Dictionary<Address, Member> _controlRooms = [];
    private readonly HashSet<Address> _unreachable = [];

    /// <summary>The link of the current incarnation; null while the van has none (between incarnations).</summary>
    public IActorRef? Link { get; private set; }

    /// <summary>The control room to talk to now; null: none reachable.</summary>
    public Member? Current { get; private set; }

    /// <summary>
    /// Follows one message from a link; true when it was one (a membership event or an attachment), whatever it changed.
    /// <paramref name="changed"/> says whether <see cref="Current"/> changed, and <paramref name="back"/> whether a
    /// control room became reachable again (what it said before the cut may be stale).
    /// </summary>
    public bool Follow(object message, IActorRef sender, out bool changed, out bool back)
    {
        changed = back = false;
        switch (message)
        {
            case LinkProtocol.Attached attached:
                Link = attached.Link;
                Forget();
                break;
            case LinkProtocol.Detached detached:
                if (!Equals(detached.Link, Link)) return true;
                Link = null;
                Forget();
                break;
            // an event from an incarnation that has ended is of no use: its members are gone with it
            case ClusterEvent.IClusterDomainEvent when !Equals(sender, Link):
                return true;
            case ClusterEvent.MemberUp up when up.Member.HasRole(LfrRoles.ControlRoom):
                _controlRooms[up.Member.Address] = up.Member;
                break;
            case ClusterEvent.MemberLeft or ClusterEvent.MemberExited or ClusterEvent.MemberRemoved:
                var member = ((ClusterEvent.IMemberEvent)message).Member;
                _controlRooms.Remove(member.Address);
                _unreachable.Remove(member.Address);
                break;
            case ClusterEvent.UnreachableMember unreachable:
                _unreachable.Add(unreachable.Member.Address);
                break;
            case ClusterEvent.ReachableMember reachable:
                back = _unreachable.Remove(reachable.Member.Address) && _controlRooms.ContainsKey(reachable.Member.Address);
                break;
            case ClusterEvent.IClusterDomainEvent:
                return true;
            default:
                return false;
        }
        var target = _controlRooms.Values.Where(m => !_unreachable.Contains(m.Address))
            .Aggregate((Member?)null, (oldest, m) => oldest is null || m.IsOlderThan(oldest) ? m : oldest);
        changed = !Equals(target?.Address, Current?.Address);
        Current = target;
        return true;
    }

    /// <summary>Sends <paramref name="message"/> to <c>/user/NAME</c> on the current control room; false when there is none.</summary>
    public bool Send(string name, object message)
    {
        if (Current is not { } target || Link is not { } link) return false;
        link.Tell(new LinkProtocol.Deliver(target.Address, name, message));
        return true;
    }

    /// <summary>Answers <paramref name="to"/> (a node that wrote to the van) as the link, so its answers come back.</summary>
    public void Reply(IActorRef to, object message) => to.Tell(message, Link ?? ActorRefs.NoSender);

    private void Forget()
    {
        _controlRooms.Clear();
        _unreachable.Clear();
    }
}
