using System.Drawing;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Chromium;
using Lfr.Tests.Fixtures;

namespace Lfr.Tests.Host.Web;

/// <summary>
/// A real headless Chromium (Debian's <c>chromium</c> and <c>chromium-driver</c>, installed by scripts/setup.sh)
/// on the web app, with the few steps the browser specs repeat. Screenshots go to <c>screenshots/</c> in the test
/// output folder.
/// </summary>
public sealed class Browser : IDisposable
{
    public const string Chromium = "/usr/bin/chromium";
    public const string ChromeDriver = "/usr/bin/chromedriver";

    public static readonly Size Desktop = new(1400, 1000);

    /// <summary>A phone (iPhone 12-15 in CSS pixels): the officer's handset.</summary>
    public static readonly Size Phone = new(390, 844);

    private const string MobileUserAgent = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36";

    public static string ScreenshotFolder => Path.Combine(AppContext.BaseDirectory, "screenshots");

    private readonly Uri _base;
    private readonly ChromeDriver _driver;

    /// <param name="trust">The certificate the site serves (default: the specs' <see cref="TestHttps.Certificate"/>), accepted by its key alone.</param>
    public Browser(Uri baseAddress, Size size, System.Security.Cryptography.X509Certificates.X509Certificate2? trust = null)
    {
        _base = baseAddress;
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
            "--disable-extensions", "--disable-background-networking", $"--window-size={size.Width},{size.Height}",
            // the site's self-signed certificate and no other (Chromium honours this with the driver's --user-data-dir)
            $"--ignore-certificate-errors-spki-list={TestHttps.Spki(trust ?? TestHttps.Certificate)}");
        // a desktop window cannot be narrower than 500 px: the phone's viewport is emulated
        if (size == Phone)
            options.EnableMobileEmulation(new ChromiumMobileEmulationDeviceSettings(MobileUserAgent) { Width = size.Width, Height = size.Height, PixelRatio = 1, EnableTouchEvents = true });
        _driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        _driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
    }

    public IWebDriver Driver => _driver;

    public void Go(string path) => _driver.Navigate().GoToUrl(new Uri(_base, path));

    public void SignIn(string user, string password = WebApp.Password)
    {
        Go("/signin");
        _driver.FindElement(By.Id("user")).SendKeys(user);
        _driver.FindElement(By.Id("password")).SendKeys(password);
        _driver.FindElement(By.Id("signin")).Click();
        Until(() => !_driver.Url.Contains("/signin", StringComparison.Ordinal), $"{user} signed in");
    }

    public void SignOut()
    {
        _driver.FindElement(By.Id("signout")).Click();
        Until(() => _driver.Url.Contains("/signin", StringComparison.Ordinal), "signed out");
    }

    public IWebElement Find(string css) => Until(() => _driver.FindElements(By.CssSelector(css)).FirstOrDefault(e => e.Displayed), css);

    public bool Exists(string css) => _driver.FindElements(By.CssSelector(css)).Count > 0;

    public void Fill(string css, string value)
    {
        var field = Find(css);
        field.Clear();
        field.SendKeys(value);
    }

    /// <summary>Sets a field by script: date and time inputs take keys in the browser's locale order.</summary>
    public void Set(string css, string value) => _driver.ExecuteScript("document.querySelector(arguments[0]).value = arguments[1];", css, value);

    public void Select(string css, string value) => _driver.ExecuteScript("document.querySelector(arguments[0]).value = arguments[1];", css, value);

    public void Click(string css) => Find(css).Click();

    public void AcceptPrompt(string text)
    {
        var prompt = Until(() => { try { return _driver.SwitchTo().Alert(); } catch (NoAlertPresentException) { return null; } }, "a prompt");
        prompt.SendKeys(text);
        prompt.Accept();
    }

    /// <summary>Waits until every image in <paramref name="css"/> has loaded (a face shown, not a broken link).</summary>
    public void ImagesLoaded(string css) =>
        Until(() => _driver.ExecuteScript(
            "const imgs = [...document.querySelectorAll(arguments[0])]; return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0);", css) is true, $"images {css}");

    /// <summary>Runs a change from the page's own script context, as a user tinkering in the console would; returns the HTTP status.</summary>
    public long Post(string path, string json) =>
        (long)(_driver.ExecuteAsyncScript("""
            const done = arguments[arguments.length - 1];
            fetch(arguments[0], { method: "POST", headers: { "X-Lfr-Csrf": "1", "Content-Type": "application/json" }, body: arguments[1] })
              .then(r => done(r.status), () => done(-1));
            """, path, json) ?? -1L);

    public string Text(string css) => Find(css).Text;

    /// <summary>Runs a script in the page and returns its value, e.g. an element's place on the screen.</summary>
    public object? Script(string script, params object[] args) => _driver.ExecuteScript(script, args);

    public void WaitForText(string css, string text) =>
        Until(() => _driver.FindElements(By.CssSelector(css)).Any(e => e.Text.Contains(text, StringComparison.Ordinal)), $"'{text}' in {css}");

    public string Screenshot(string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        _driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    public T Until<T>(Func<T?> probe, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var value = probe();
                if (value is not null && value is not false) return value;
            }
            catch (Exception e) when (e is WebDriverException or InvalidOperationException)
            {
                last = e;
            }
            Thread.Sleep(100);
        }

        Screenshot("timeout-" + string.Concat(what.Where(char.IsLetterOrDigit)));
        throw new TimeoutException($"waited {seconds} s for {what} on {_driver.Url}", last);
    }

    public void Dispose()
    {
        _driver.Quit();
        _driver.Dispose();
    }
}

/// <summary>A fact that needs Debian's chromium and chromium-driver (scripts/setup.sh installs both).</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!File.Exists(Browser.Chromium) || !File.Exists(Browser.ChromeDriver))
            Skip = $"{Browser.Chromium} or {Browser.ChromeDriver} absent: run scripts/setup.sh (Debian packages chromium chromium-driver)";
    }
}
