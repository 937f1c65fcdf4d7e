"""Demo articles in both languages, so that the new-request form of the demo suggests some."""
from __future__ import annotations

from portal.knowledge import services

CATEGORIES = (("接続とネットワーク", "Connectivity"), ("アカウントとサインイン", "Accounts and sign-in"),
              ("教育サービス", "Education"))

VPN_JA = """## 確認すること

1. VPN クライアントの **証明書の有効期限** を確認します。期限切れの場合は、管理者に再発行を依頼してください。
2. 社外のネットワークから接続している場合は、ファイアウォールで UDP 500 と 4500 が許可されているか確認します。
3. エラー `0x80070005` が表示される場合は、VPN クライアントを管理者として実行し直してください。

解決しない場合は、接続を試した時刻とクライアントのログを添えて依頼してください。"""

VPN_EN = """## What to check

1. Check the **expiry date of the VPN client certificate**. If it has expired, ask your
   administrator for a new one.
2. From outside the company network, make sure the firewall allows UDP 500 and 4500.
3. If error `0x80070005` appears, run the VPN client again as an administrator.

If it still fails, file a request with the time you tried and the client log."""

ARTICLES = (
    (0, "VPN に接続できない場合", VPN_JA, "Cannot connect to the VPN", VPN_EN, None),
    (1, "パスワードをリセットする", "サインイン画面の「パスワードを忘れた場合」から、"
        "登録済みのメール アドレスにリセット用のリンクを送れます。リンクの有効期限は 1 時間です。",
     "Resetting your password", "Use “Forgot your password?” on the sign-in page: a link valid for one "
     "hour is sent to your registered address.", None),
    (1, "サインイン時のエラー AADSTS50011", "エラー `AADSTS50011` は、アプリに登録された応答 URL と"
        "要求の URL が一致しないときに表示されます。アプリの登録で応答 URL を確認してください。",
     "", "", None),
    (2, "", "", "Webcast schedule", "Webcasts (Web キャスト) are held every month. "
     "See the on-demand education platform for recordings.", None),
    (0, "北狐システムズ様 専用線の切り替え手順", "専用線の切り替えは、毎月第 2 土曜日の保守時間に行います。",
     "", "", "kitsune"),
)


def seed_articles(staff, organizations: dict) -> None:
    """A few published articles, one of them for one organisation only."""
    categories = [services.add_category(ja, en) for ja, en in CATEGORIES]
    for category, title_ja, body_ja, title_en, body_en, only in ARTICLES:
        services.save(staff, services.ArticleText(
            title_ja=title_ja, body_ja=body_ja, title_en=title_en, body_en=body_en, published=True,
            category_id=categories[category].id,
            organization_ids=(organizations[only].id,) if only else None))
