using Microsoft.Playwright;

namespace Workflows.Web.Tests.Support;

/// <summary>Driving MudBlazor inputs the way a person does: open, then click the option in the popover.</summary>
public static class Mud
{
    public static async Task SelectAsync(this IPage page, ILocator select, string option)
    {
        await select.ClickAsync(); // MudBlazor puts data-testid on the select's input
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = option }).First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").First.WaitForAsync(new() { State = WaitForSelectorState.Hidden });
    }

    /// <summary>Types into a people picker and takes the person offered whose text contains the query (e.g. an address).</summary>
    public static async Task PickUserAsync(this IPage page, ILocator picker, string query)
    {
        var input = picker.Locator("input").First;
        await input.ClickAsync();
        await input.FillAsync(query);
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = query }).First.ClickAsync();
    }
}
