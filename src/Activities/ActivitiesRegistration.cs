using Workflows.Activities.Approvals;
using Workflows.Activities.Notifications;
using Workflows.Activities.Publicities;
using Workflows.Engine.Activities;

namespace Workflows.Activities;

/// <summary>
/// The activities of this assembly, for the host's registry:
/// <c>ActivityRegistry.CreateDefault().AddRange(ActivitiesRegistration.All())</c>.
/// They need an <see cref="People.IAssigneeDirectory"/> in the engine's services, and use a
/// <see cref="Calendar.WorkingDayCalendar"/> from there for due dates (Monday–Friday without one).
/// </summary>
public static class ActivitiesRegistration
{
    public static IEnumerable<ActivityBehavior> All() => [new Approval(), new Notify(), new Cc(), new Publicity()];
}
