"""Realistic request texts for the benchmark data: Japanese and English, error codes, product
names in katakana and Latin letters, log lines, server names and request numbers.

Every text is built from one `random.Random`, so a given seed always gives the same data. The
mix gives the search benchmark (bench/search.py) common words (エラー, 確認, error — in most
requests), middling ones (a product, a symptom) and rare ones (one error code of a thousand, a
host name, a correlation id), as real threads have.
"""
from __future__ import annotations

import random

PRODUCTS = ("エクスチェンジ オンライン", "シェアポイント", "チームズ", "アジュール バックアップ",
            "エントラ ID", "ディフェンダー", "インチューン", "アウトルック", "ワンドライブ",
            "パワー オートメイト", "Azure Virtual Machines", "Azure SQL Database", "Exchange Online",
            "SharePoint Online", "Microsoft Teams", "Entra ID", "Azure Backup", "Intune", "Defender")
SYMPTOMS = ("サインインできない", "メールが届かない", "配信が遅延している", "接続がタイムアウトする",
            "同期が停止している", "ライセンスが割り当てられない", "画面が表示されない", "動作が遅い",
            "バックアップジョブが失敗する", "仮想マシンが起動しない", "証明書の期限が切れた",
            "CSV の出力が文字化けする", "共有リンクが開けない", "会議の録画が保存されない",
            "パスワードをリセットできない", "多要素認証の登録ができない")
SYMPTOMS_EN = ("cannot sign in", "mail delivery is delayed", "the connection times out",
               "sync has stopped", "the backup job fails", "the VM does not start",
               "the certificate expired", "CSV export is garbled", "the page loads slowly",
               "users get access denied", "the meeting recording is missing")
OPENINGS = ("いつもお世話になっております。", "お疲れさまです。", "お問い合わせいたします。", "",
            "Hello,", "Hi team,")
DETAILS = ("本日 9 時頃から社内の一部の利用者で発生しています。", "影響範囲は営業部の約 30 名です。",
           "再起動しても改善しません。", "昨日の夜間メンテナンス以降に発生しています。",
           "回避策があればご教示ください。", "業務への影響が大きいため至急確認をお願いします。",
           "エラー画面のスクリーンショットとログを添付します。", "手順どおりに設定を変更しました。",
           "原因の調査と再発防止策のご提示をお願いします。", "同様の事象は先月にも一度ありました。",
           "It started after this morning's change window.", "Logs are attached where available.",
           "About 30 users are affected.", "Restarting the client did not help.")
REPLIES = ("お問い合わせありがとうございます。", "ご提示いただいたログを確認いたしました。",
           "設定の一部に差異がございました。", "以下の手順をお試しください。",
           "サービス側の障害は発生しておりません。", "既知の問題として修正が予定されています。",
           "キャッシュを削除したうえで再度サインインしてください。",
           "条件付きアクセスのポリシーを見直すことで解消する見込みです。",
           "Thank you for the details.", "Please try the steps below and tell us the result.",
           "The fix is rolling out this week.", "We could reproduce it on our test tenant.")
RESOLUTIONS = ("ポリシーの除外設定を追加して解消しました。", "証明書を更新して復旧しました。",
               "DNS の MX レコードを修正して解消しました。", "ライセンスを再割り当てして解消しました。",
               "修正プログラムの適用後に復旧しました。", "Resolved by re-registering the device.",
               "Resolved after rotating the storage account keys.")
LOG_LEVELS = ("ERROR", "WARN", "INFO", "FATAL")
LOG_MESSAGES = ("StorageException: The operation timed out", "Access is denied",
                "AuthenticationFailed: token expired", "Connection reset by peer",
                "SqlException: deadlock victim", "認証に失敗しました", "接続がタイムアウトしました",
                "ディスク容量が不足しています", "QuotaExceeded: mailbox is full")
# rare: one of 1,000 HRESULT-style codes and 1,000 AADSTS codes, hosts, correlation ids
HRESULTS = [f"0x8007{n:04X}" for n in range(0, 1000)]
AADSTS = [f"AADSTS{50000 + n}" for n in range(0, 1000)]
HOSTS = [f"{prefix}-{n:03d}" for prefix in ("web", "db", "app", "vpn", "file") for n in range(200)]


def _code(rng: random.Random) -> str:
    return rng.choice(HRESULTS) if rng.random() < 0.6 else rng.choice(AADSTS)


def log_lines(rng: random.Random, count: int) -> str:
    lines = []
    for _ in range(count):
        lines.append(f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
                     f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d} "
                     f"{rng.choice(LOG_LEVELS)} {rng.choice(HOSTS)} {rng.choice(LOG_MESSAGES)} "
                     f"(code {_code(rng)}, correlation {rng.getrandbits(48):012x})")
    return "\n".join(lines)


def subject(rng: random.Random) -> str:
    product = rng.choice(PRODUCTS)
    if rng.random() < 0.25:
        return f"{product}: {rng.choice(SYMPTOMS_EN)}"
    return f"{product} で{rng.choice(SYMPTOMS)}"[:200]


def body(rng: random.Random) -> str:
    parts = [rng.choice(OPENINGS),
             f"{rng.choice(PRODUCTS)} で{rng.choice(SYMPTOMS)}件について確認をお願いします。"]
    parts += rng.sample(DETAILS, rng.randint(2, 5))
    parts.append(f"エラー コード: {_code(rng)}")
    if rng.random() < 0.5:
        parts.append(log_lines(rng, rng.randint(1, 4)))
    return "\n".join(p for p in parts if p)


def reply(rng: random.Random, resolving: bool = False) -> str:
    parts = rng.sample(REPLIES, rng.randint(2, 4))
    if resolving:
        parts.append(rng.choice(RESOLUTIONS))
    return "".join(parts)


def follow_up(rng: random.Random) -> str:
    parts = ["ご回答ありがとうございます。"] + rng.sample(DETAILS, rng.randint(1, 2))
    if rng.random() < 0.3:
        parts.append(log_lines(rng, 1))
    return "\n".join(parts)


def internal_note(rng: random.Random) -> str:
    return (f"社内メモ: {rng.choice(HOSTS)} で再現。{rng.choice(LOG_MESSAGES)} を確認。"
            f"internal: escalated to the product team ({_code(rng)}).")
