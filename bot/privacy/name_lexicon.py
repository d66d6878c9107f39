"""Word lists for the student-PII guardrail: common given names, names that are also ordinary words,
well-known people and characters teachers talk about, and words that are never surnames.

Lists, not a model: they are easy to read, review and extend when a real message is misjudged.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.lower().split())


# Common given names of K-12 students in the US (diverse, both genders); lower case.
FIRST_NAMES = _words(
    """
    aaliyah aaron abby abdul abigail abraham ada adam addison adriana adrian ahmed aidan aiden aisha alan
    alana alejandro alex alexa alexander alexis ali alice alicia alina alyssa amara amari amaya amber amelia
    amir amy ana andre andrea andres andrew angel angela angelina anna annie anthony antonio april aria ariana
    ariel arjun armando arthur aryan asher ashley aubrey audrey august aurora austin ava avery axel bailey
    beatriz bella ben benjamin bianca blake brandon brayden brenda brian brianna brielle brittany brody
    brooke brooklyn bryan bryce caleb cameron camila carlos carmen carter cassidy catalina charles charlie
    charlotte chase chen cheyenne chloe chris christian christina christopher claire clara cody cole colin
    connor cooper daisy dakota dallas damian daniel daniela danny darius david dawson dean deandre delilah
    demetrius derek deshawn destiny devin diana diego dominic dylan eden edgar eduardo eli elena eli elias
    elijah elizabeth ella ellie emanuel emerson emilia emily emma emmanuel eric erik esme esmeralda ethan
    eva evan evelyn ezekiel ezra fatima felix fernando finn fiona francisco gabriel gabriela gabriella gavin
    genesis george gianna giovanni grace gracie greg gregory greyson guadalupe hailey hannah harper harrison
    hassan hayden hazel hector henry hudson hunter ian imani isaac isabel isabella isaiah isla ivan izzy
    jack jackson jacob jada jade jaden jake jalen jamal james jamie jasmine jason javier jaxon jay jayden
    jaylen jayla jazmin jennifer jeremiah jeremy jesse jessica jesus jimena joanna joel john johnny jonah
    jonathan jordan jorge jose joseph josephine joshua josiah juan julia julian juliana julio justin kai
    kaitlyn kamal karen karina kate katherine kayden kayla kaylee keira kendall kenneth kevin khalil kiara
    kimberly kobe kyle kylie landon laila layla leah leila leo leon leonardo liam lila lily lincoln logan
    london lorenzo lucas lucia luis luke luna lydia lyla mackenzie madeline madelyn madison maggie makayla
    malachi malik manuel marco marcus maria mariah mariana marisol mark marquis martin mason mateo matthew
    maya mckenzie megan mia micah michael michelle miguel mila miles miriam mohamed mohammed muhammad
    myles nadia naomi natalia natalie nathan nathaniel nevaeh nia nicholas nicole nina noah noelle nolan
    nora nyla olivia omar oscar owen paige parker patrick paul payton penelope peter peyton piper preston
    priya quinn rafael raj rashad rebecca reagan riley river robert rohan roman rosa ruby ryan sadie samantha
    samuel santiago sara sarah savannah scarlett sean sebastian serenity sergio shane sienna sofia sophia
    sophie stella stephanie steven sydney tanya taylor terrell theo theodore thomas timothy tristan troy
    tyler tyrone valentina valeria vanessa victor victoria vincent violet wei wesley william wyatt xavier
    yasmin yusuf zachary zane zara zayden zion zoe zoey
    """
)

# Given names that are also everyday words: a capital letter at the start of a sentence proves nothing.
AMBIGUOUS_FIRST_NAMES = _words(
    """
    april august autumn bill dallas dawn eden faith grace hope ivy jack jade joy june justice lincoln
    london mark may miles paige parker river rose ruby sky summer will
    """
)

# Capitalised words that follow a first name without being a surname (places, products, calendars).
NOT_SURNAMES = _words(
    """
    academy avenue bay beach center centre city classroom college county day district elementary high
    institute library middle month museum period rising school street university week year
    monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    """
)

# Historical figures, authors, characters and public figures K-12 teachers name in lessons (lower case).
KNOWN_PEOPLE = frozenset(
    line.strip().lower()
    for line in """
    abraham lincoln
    george washington
    thomas jefferson
    john adams
    alexander hamilton
    benjamin franklin
    martin luther king
    rosa parks
    claudette colvin
    harriet tubman
    frederick douglass
    sojourner truth
    susan b anthony
    elizabeth cady stanton
    cesar chavez
    dolores huerta
    ruby bridges
    jackie robinson
    helen keller
    anne sullivan
    anne frank
    amelia earhart
    sally ride
    mae jemison
    neil armstrong
    katherine johnson
    dorothy vaughan
    mary jackson
    marie curie
    albert einstein
    isaac newton
    charles darwin
    thomas edison
    nikola tesla
    george washington carver
    sacagawea
    meriwether lewis
    william clark
    barack obama
    michelle obama
    john f kennedy
    eleanor roosevelt
    franklin roosevelt
    theodore roosevelt
    malcolm x
    langston hughes
    maya angelou
    zora neale hurston
    william shakespeare
    edgar allan poe
    mark twain
    emily dickinson
    robert frost
    jackie woodson
    jacqueline woodson
    jason reynolds
    kate dicamillo
    beverly cleary
    roald dahl
    judy blume
    dav pilkey
    mo willems
    eric carle
    gary paulsen
    lois lowry
    rick riordan
    jeff kinney
    jk rowling
    j k rowling
    harper lee
    christopher paul curtis
    pam munoz ryan
    r j palacio
    harry potter
    hermione granger
    ron weasley
    percy jackson
    annabeth chase
    katniss everdeen
    greg heffley
    junie b jones
    ramona quimby
    matilda wormwood
    charlie bucket
    willy wonka
    atticus finch
    scout finch
    holden caulfield
    ponyboy curtis
    brian robeson
    auggie pullman
    august pullman
    peter hatcher
    esperanza ortega
    pete the cat
    taylor swift
    jackson pollock
    frida kahlo
    vincent van gogh
    amanda gorman
    malala yousafzai
    bill nye
    neil degrasse tyson
    lin manuel miranda
    steve spangler
    sal khan
    """.strip().splitlines()
)
