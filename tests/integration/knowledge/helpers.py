"""Articles for tests, written through the same service as the back office."""
from __future__ import annotations

from portal.db import db
from portal.knowledge import services


def article(staff, *, title_ja="", body_ja="", title_en="", body_en="", published=True,
            organizations=None, category=None):
    text = services.ArticleText(
        title_ja=title_ja, body_ja=body_ja, title_en=title_en, body_en=body_en,
        published=published, category_id=category.id if category else None,
        organization_ids=None if organizations is None else tuple(o.id for o in organizations))
    saved = services.save(staff, text)
    db.session.commit()
    return saved


VPN_JA = ("VPN に接続できない場合", "## 確認すること\n\n1. 証明書の期限を確認します。\n"
          "2. エラー `0x80070005` が出る場合は、管理者権限で再実行してください。")
