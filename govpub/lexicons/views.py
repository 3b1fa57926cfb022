from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from govpub.orgs.policy import require
from govpub.ui.forms import run_action
from govpub.ui.paging import paginate

from . import actions, policy
from .forms import EntryForm, ImportForm
from .models import CATEGORY_CHOICES, LexiconEntry

MAX_IMPORT_BYTES = 20 * 1024 * 1024


def lexicon_list(request):
    require(policy.can_view_lexicons(request.user), "只有系统管理员和监管人员可以查看词库。")
    entries = LexiconEntry.objects.filter(is_active=True).select_related("created_by")
    category, query = request.GET.get("category", ""), request.GET.get("q", "").strip()
    if category:
        entries = entries.filter(category=category)
    if query:
        entries = entries.filter(Q(term__contains=query) | Q(suggestion__contains=query))
    page, querystring = paginate(request, entries, per_page=50)
    can_edit = policy.can_edit_lexicons(request.user)
    return render(request, "lexicons/list.html", {
        "page": page, "querystring": querystring, "categories": CATEGORY_CHOICES, "category": category, "q": query,
        "can_edit": can_edit, "entry_form": EntryForm() if can_edit else None,
        "import_form": ImportForm() if can_edit else None})


@require_POST
def lexicon_add(request):
    require(policy.can_edit_lexicons(request.user), policy.EDIT_REFUSAL)
    form = EntryForm(request.POST)
    if form.is_valid():
        run_action(request, lambda: actions.add_entry(acting_user=request.user, **form.cleaned_data),
                   lambda entry: f"已添加词条“{entry.term}”，将按新词库复查已发布信息。")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("lexicon_list")


@require_POST
def lexicon_import(request):
    require(policy.can_edit_lexicons(request.user), policy.EDIT_REFUSAL)
    form = ImportForm(request.POST, request.FILES)
    if getattr(request, "upload_too_large", None) or not form.is_valid():
        messages.error(request, "请选择不超过上传限制的词库文件。")
        return redirect("lexicon_list")
    upload = form.cleaned_data["file"]
    if upload.size > MAX_IMPORT_BYTES:
        messages.error(request, "词库文件过大（不能超过 20 MB）。")
        return redirect("lexicon_list")
    run_action(request, lambda: actions.import_lexicon(acting_user=request.user, data=upload.read(), name=upload.name),
               lambda added: f"已导入 {added} 个新词条（已有的词条不重复导入）。")
    return redirect("lexicon_list")


@require_POST
def lexicon_deactivate(request, pk):
    require(policy.can_edit_lexicons(request.user), policy.EDIT_REFUSAL)
    entry = get_object_or_404(LexiconEntry, pk=pk)
    run_action(request, lambda: actions.deactivate_entry(entry, acting_user=request.user), f"已停用词条“{entry.term}”。")
    return redirect("lexicon_list")
