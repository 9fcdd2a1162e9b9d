using Microsoft.Playwright;

namespace Workflows.Web.Tests.Support;

/// <summary>Driving MudBlazor inputs the way a person does: open, then click the option in the popover.</summary>
public static class Mud
{
    public static async Task SelectAsync(this IPage page, ILocator select, string option)
    {
        await select.Locator(".mud-select-input, .mud-input-slot").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = option }).First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").First.WaitForAsync(new() { State = WaitForSelectorState.Hidden });
    }

    /// <summary>Types into a people picker and takes the first person offered whose text contains <paramref name="expect"/>.</summary>
    public static async Task PickUserAsync(this IPage page, ILocator picker, string query, string? expect = null)
    {
        var input = picker.Locator("input").First;
        await input.ClickAsync();
        await input.FillAsync(query);
        var item = page.Locator(".mud-popover-open .mud-list-item");
        if (expect is not null) item = item.Filter(new() { HasText = expect });
        await item.First.ClickAsync();
    }
}
